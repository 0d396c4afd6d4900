package io.latentkit.listen;

import io.latentkit.listen.decide.HitDecider;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;

/** Lets tests in other packages build the decider listen mode builds. */
public final class ListenModeAccess {
    private ListenModeAccess() {
    }

    public static HitDecider decider(Models models, ListenConfig config) throws ModelLoadException {
        return ListenMode.decider(models, config);
    }
}
