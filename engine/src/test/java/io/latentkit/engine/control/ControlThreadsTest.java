package io.latentkit.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.TestKits;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;

/** Control threads survive what nobody expected, say so, and back off when it repeats. */
class ControlThreadsTest {
    private static final int SR = 48_000;

    @Test
    void aLoopThatDiesIsEnteredAgainOnTheSameThreadUntilItEnds() throws Exception {
        ControlThreads threads = new ControlThreads();
        AtomicInteger runs = new AtomicInteger();
        Thread[] ranOn = new Thread[3];
        Runnable loop = threads.supervised("test-loop", () -> {
            int n = runs.getAndIncrement();
            ranOn[n] = Thread.currentThread();
            if (n == 0) {
                throw new StackOverflowError("simulated");
            }
            if (n == 1) {
                throw new IllegalStateException("simulated bug");
            }
        }, () -> false);
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("control thread test-loop died of");
            Thread t = new Thread(loop, "test-loop");
            t.start();
            t.join(10_000);
            assertFalse(t.isAlive());
            assertEquals(3, runs.get(), "two failures, then the loop returned");
            assertEquals(2, threads.restarts());
            assertEquals("test-loop: java.lang.IllegalStateException: simulated bug", threads.lastFailure());
            assertTrue(ranOn[0] == t && ranOn[1] == t && ranOn[2] == t, "restarted on the same thread");
            assertEquals(1, log.recordsWith("control thread test-loop died of java.lang.StackOverflowError: simulated;"
                    + " restarted after 10 ms (restart 1 of these control threads)").size(), log.records().toString());
            assertEquals(1, log.recordsWith("restarted after 20 ms (restart 2 of these control threads)").size());
            assertTrue(log.recordsWith("died of java.lang.StackOverflowError").get(0).contains("\tat "),
                    "the stack trace is logged");
        }
    }

    @Test
    void aStopEndsTheLoopWithoutARestartAndNoFailureIsReported() throws Exception {
        ControlThreads threads = new ControlThreads();
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread(threads.supervised("test-stop", () -> {
            runs.incrementAndGet();
            stopping.set(true);
            throw new IllegalStateException("socket closed under the loop as it stops");
        }, stopping::get));
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(1, runs.get());
        assertEquals(0, threads.restarts());
        assertNull(threads.lastFailure());
    }

    @Test
    void theBackoffDoublesWhileALoopKeepsFailingAtOnceAndIsNoneAfterAHealthyRun() {
        ControlThreads.Backoff backoff = new ControlThreads.Backoff();
        long now = System.nanoTime();
        long[] expected = {10, 20, 40, 80, 160, 320, 640, 1000, 1000};
        for (long e : expected) {
            assertEquals(e, backoff.next(now));
        }
        long longAgo = now - TimeUnit.MILLISECONDS.toNanos(ControlThreads.HEALTHY_MILLIS + 1);
        assertEquals(0, backoff.next(longAgo), "one failure after a long healthy run costs nothing");
        assertEquals(10, backoff.next(System.nanoTime()), "and the schedule starts over");
    }

    @Test
    void anAgentsErrorNoLongerEndsItsRunnersThreadButATerminationDoes() throws Exception {
        ControlThreads threads = new ControlThreads();
        AtomicInteger cycles = new AtomicInteger();
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                int n = cycles.incrementAndGet();
                if (n == 3) {
                    throw new LinkageError("simulated: a class failed to link");
                }
                if (n == 50) {
                    throw new AgentTerminationException("done");
                }
                return 1;
            }

            @Override
            public String roleName() {
                return "test-agent";
            }
        };
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("control thread test-agent died of java.lang.LinkageError");
            AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), e -> { }, null,
                    threads.agent("test-agent", agent));
            Thread t = AgentRunner.startOnThread(runner);
            t.join(10_000);
            assertFalse(t.isAlive());
            assertEquals(50, cycles.get(), "the agent went on after the Error until it terminated");
            assertEquals(1, threads.restarts());
            assertEquals(1, log.recordsWith("control thread test-agent died of java.lang.LinkageError").size());
            runner.close();
        }
    }

    @Test
    void theRenderThreadRendersOnAfterAnErrorAndCountsIt() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        AudioSink sink = new AudioSink() {
            @Override
            public void open(int sampleRateHz, int blockFrames) {
            }

            @Override
            public void write(float[] interleaved, int frames) {
                if (writes.incrementAndGet() == 5) {
                    throw new LinkageError("simulated: the driver's class failed to link");
                }
                // Paced roughly like a device, so the render thread does not spin a core.
                LockSupport.parkNanos(200_000L);
            }

            @Override
            public long deadlineMisses() {
                return 0;
            }

            @Override
            public String describe() {
                return "a sink whose fifth write throws an Error";
            }

            @Override
            public void close() {
            }
        };
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(64, 0.1f)));
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("render thread error");
            engine.start(sink, true);
            await("the error counted", () -> engine.renderErrors() == 1);
            int after = writes.get();
            await("blocks rendered after the error", () -> writes.get() > after + 20);
            await("housekeeping logged it", () -> !log.recordsWith("java.lang.LinkageError: simulated").isEmpty());
        } finally {
            engine.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
