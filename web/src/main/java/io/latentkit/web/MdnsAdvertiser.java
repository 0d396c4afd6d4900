package io.latentkit.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advertises the server over mDNS/DNS-SD (JmDNS) on the interface it is bound to, as OSCQuery asks:
 * the HTTP port as {@code _oscjson._tcp} and the OSC port as {@code _osc._udp}, both under the
 * server's name. Only for binds beyond loopback ({@code --mdns}).
 *
 * <p>Threading: JmDNS runs its own threads; {@link #start} and {@link #close} from any thread.
 */
final class MdnsAdvertiser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);

    static final String OSCJSON = "_oscjson._tcp.local.";
    static final String OSC = "_osc._udp.local.";

    private final JmDNS jmdns;

    private MdnsAdvertiser(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    /**
     * @param bind the bound address ({@code 0.0.0.0}: JmDNS picks this host's address)
     * @throws UncheckedIOException when mDNS cannot start on that interface
     */
    static MdnsAdvertiser start(InetAddress bind, String name, int httpPort, int oscPort) {
        try {
            JmDNS j = bind.isAnyLocalAddress() ? JmDNS.create() : JmDNS.create(bind);
            j.registerService(ServiceInfo.create(OSCJSON, name, httpPort, "OSCQuery of " + name));
            j.registerService(ServiceInfo.create(OSC, name, oscPort, "OSC of " + name));
            LOG.info("mDNS: {} on {} ({}), {} on {}", OSCJSON, httpPort, name, OSC, oscPort);
            return new MdnsAdvertiser(j);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot advertise over mDNS: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            jmdns.unregisterAllServices();
            jmdns.close();
        } catch (IOException e) {
            LOG.debug("closing mDNS", e);
        }
    }
}
