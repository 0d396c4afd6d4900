package io.latentkit.web;

import java.net.InetAddress;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * Run by {@link MdnsAdvertiserTest} inside a network namespace of its own: advertises, browses with
 * a second JmDNS on the same interface, and prints the ports it resolved.
 */
final class MdnsProbe {
    private MdnsProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        MdnsAdvertiser ad = MdnsAdvertiser.start(lo, "latentkit-test", 19_080, 19_000);
        try (JmDNS browser = JmDNS.create(lo, "browser")) {
            ServiceInfo http = resolve(browser, MdnsAdvertiser.OSCJSON);
            ServiceInfo osc = resolve(browser, MdnsAdvertiser.OSC);
            System.out.println("oscjson " + (http == null ? -1 : http.getPort()));
            System.out.println("osc " + (osc == null ? -1 : osc.getPort()));
        } finally {
            ad.close();
        }
    }

    /** Asks a few times: the first question may go out while the browser is still probing its own name. */
    private static ServiceInfo resolve(JmDNS browser, String type) {
        for (int i = 0; i < 4; i++) {
            ServiceInfo info = browser.getServiceInfo(type, "latentkit-test", 5_000);
            if (info != null && info.getPort() > 0) {
                return info;
            }
        }
        return null;
    }
}
