package io.latentkit.perf.osc;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCParseException;
import com.illposed.osc.OSCParser;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.OSCSerializer;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import com.illposed.osc.argument.OSCTimeTag64;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.codec.OscLimits;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscPacketDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Receive-path parse cost: JavaOSC 0.8's {@code OSCParser.convert} against latentkit's zero-copy
 * {@link OscPacketDecoder}, on the same bytes: a single {@code /hit ,if} message and a bundle of eight.
 * Both read the pad and velocity of every message, as the dispatcher does. Run with {@code -prof gc}
 * for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OscDecodeBenchmark {
    @Param({"message", "bundle8"})
    public String shape;

    private byte[] bytes;
    private ByteBuffer buffer;
    private OSCParser javaOsc;
    private OscPacketDecoder decoder;

    @Setup
    public void setUp() throws OSCSerializeException {
        OSCPacket packet;
        if (shape.equals("message")) {
            packet = new OSCMessage("/hit", List.of(3, 0.75f));
        } else {
            List<OSCPacket> hits = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                hits.add(new OSCMessage("/hit", List.of(i, 0.75f)));
            }
            packet = new OSCBundle(hits, OSCTimeTag64.IMMEDIATE);
        }
        ByteBuffer b = ByteBuffer.allocate(4096);
        OSCSerializer s = new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(b));
        s.write(packet);
        b.flip();
        bytes = new byte[b.remaining()];
        b.get(bytes);
        buffer = ByteBuffer.wrap(bytes);
        javaOsc = new OSCSerializerAndParserBuilder().buildParser();
        decoder = new OscPacketDecoder(OscLimits.defaults());
    }

    @Benchmark
    public double javaOsc() throws OSCParseException {
        buffer.clear();
        OSCPacket p = javaOsc.convert(buffer);
        return sum(p);
    }

    private static double sum(OSCPacket p) {
        if (p instanceof OSCMessage) {
            List<Object> a = ((OSCMessage) p).getArguments();
            return ((Integer) a.get(0)) + ((Float) a.get(1)) + ((OSCMessage) p).getAddress().length();
        }
        double t = 0;
        for (OSCPacket e : ((OSCBundle) p).getPackets()) {
            t += sum(e);
        }
        return t;
    }

    @Benchmark
    public double latentkit() {
        DropReason r = decoder.decode(bytes, 0, bytes.length);
        if (r != null) {
            throw new IllegalStateException(r.toString());
        }
        double t = 0;
        for (int i = 0; i < decoder.messageCount(); i++) {
            OscMessageView m = decoder.message(i);
            t += m.intArg(0) + m.floatArg(1) + m.addressLength();
        }
        return t;
    }
}
