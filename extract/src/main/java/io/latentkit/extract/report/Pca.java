package io.latentkit.extract.report;

import java.util.List;

/**
 * The first two principal components of a set of points, by power iteration with deflation on
 * their covariance: enough for a 2-D map of latent means.
 *
 * <p>Stateless; any thread.
 */
public final class Pca {
    private Pca() {
    }

    /** Each point's coordinates on the first two principal axes ({@code [n][2]}). */
    public static double[][] project2(List<float[]> points) {
        int n = points.size();
        double[][] out = new double[n][2];
        if (n == 0) {
            return out;
        }
        int dim = points.get(0).length;
        double[] mean = new double[dim];
        for (float[] p : points) {
            for (int k = 0; k < dim; k++) {
                mean[k] += p[k] / (double) n;
            }
        }
        double[][] cov = new double[dim][dim];
        for (float[] p : points) {
            for (int a = 0; a < dim; a++) {
                double da = p[a] - mean[a];
                for (int b = a; b < dim; b++) {
                    cov[a][b] += da * (p[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        double[][] axes = new double[2][];
        for (int c = 0; c < 2; c++) {
            double[] v = new double[dim];
            for (int k = 0; k < dim; k++) {
                v[k] = 1.0 / Math.sqrt(dim) * (1 + 0.01 * k);
            }
            double lambda = 0;
            for (int it = 0; it < 200; it++) {
                double[] w = new double[dim];
                for (int a = 0; a < dim; a++) {
                    double s = 0;
                    for (int b = 0; b < dim; b++) {
                        s += cov[a][b] * v[b];
                    }
                    w[a] = s;
                }
                double norm = 0;
                for (double x : w) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                if (norm < 1e-12) {
                    break;
                }
                for (int a = 0; a < dim; a++) {
                    v[a] = w[a] / norm;
                }
                lambda = norm;
            }
            axes[c] = v;
            // Deflate: remove the found component so the next iteration finds the second.
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) {
                    cov[a][b] -= lambda * v[a] * v[b];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            float[] p = points.get(i);
            for (int c = 0; c < 2; c++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += (p[k] - mean[k]) * axes[c][k];
                }
                out[i][c] = s;
            }
        }
        return out;
    }
}
