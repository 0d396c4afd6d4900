package io.latentkit.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Average-linkage agglomerative clustering of points (latent means) under the Euclidean distance,
 * merging while the two closest clusters are nearer than {@link #MERGE_FACTOR} times the median
 * nearest-neighbour distance: hits of one drum (which differ by how hard and where it was struck)
 * end in one cluster, a second drum of the same class in another. Quadratic in memory and cubic in
 * time: meant for the at most a few dozen hits of one class.
 *
 * <p>Stateless; any thread.
 */
public final class Clusters {
    /** Clusters closer than this many median nearest-neighbour distances merge. */
    public static final double MERGE_FACTOR = 3.0;

    private Clusters() {
    }

    /** Pairwise distances of {@code points}. */
    public static double[][] distances(List<float[]> points) {
        int n = points.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float[] a = points.get(i);
                float[] b = points.get(j);
                double s = 0;
                for (int k = 0; k < a.length; k++) {
                    double v = a[k] - b[k];
                    s += v * v;
                }
                d[i][j] = d[j][i] = Math.sqrt(s);
            }
        }
        return d;
    }

    /** Cluster label (0..) of each point; labels are numbered by cluster size, largest first. */
    public static int[] cluster(double[][] d) {
        int n = d.length;
        int[] label = new int[n];
        if (n <= 1) {
            return label;
        }
        double[] nn = new double[n];
        for (int i = 0; i < n; i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    best = Math.min(best, d[i][j]);
                }
            }
            nn[i] = best;
        }
        double[] sorted = nn.clone();
        Arrays.sort(sorted);
        double threshold = MERGE_FACTOR * Math.max(sorted[n / 2], 1e-9);
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusters.add(new ArrayList<>(List.of(i)));
        }
        while (clusters.size() > 1) {
            int bi = -1;
            int bj = -1;
            double best = Double.MAX_VALUE;
            for (int i = 0; i < clusters.size(); i++) {
                for (int j = i + 1; j < clusters.size(); j++) {
                    double link = averageLink(d, clusters.get(i), clusters.get(j));
                    if (link < best) {
                        best = link;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (best > threshold) {
                break;
            }
            clusters.get(bi).addAll(clusters.remove(bj));
        }
        clusters.sort((a, b) -> b.size() - a.size());
        for (int c = 0; c < clusters.size(); c++) {
            for (int i : clusters.get(c)) {
                label[i] = c;
            }
        }
        return label;
    }

    private static double averageLink(double[][] d, List<Integer> a, List<Integer> b) {
        double s = 0;
        for (int i : a) {
            for (int j : b) {
                s += d[i][j];
            }
        }
        return s / (a.size() * b.size());
    }

    /** Mean distance from point {@code i} to the others of its cluster (0 for a singleton). */
    public static double meanDistance(double[][] d, int[] label, int i) {
        double s = 0;
        int n = 0;
        for (int j = 0; j < d.length; j++) {
            if (j != i && label[j] == label[i]) {
                s += d[i][j];
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }
}
