package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InferenceWorkerTest {
    @Test
    void modelsRunOnTheWorkerThreadNotTheCaller() throws Exception {
        float[] kick = Fixtures.hit("kick");
        try (InferenceWorker worker = new InferenceWorker(Models.loadDefault())) {
            Thread caller = Thread.currentThread();
            var result = worker.submit(m -> {
                assertTrue(worker.isWorkerThread());
                return new Object[] {Thread.currentThread(), m.classifier().classify(kick).top()};
            }).get();
            assertNotSame(caller, result[0]);
            assertEquals("latentkit-inference", ((Thread) result[0]).getName());
            assertEquals(HitClass.KICK, result[1]);
        }
    }

    @Test
    void aFailingTaskCompletesItsFutureExceptionally() {
        try (InferenceWorker worker = new InferenceWorker(Models.loadDefault())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> worker.submit(m -> m.classifier().classify(new float[4800])).get());
            assertInstanceOf(BadAudioException.class, e.getCause());
        }
    }
}
