package org.crosscheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;

import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.RunManifest;
import org.crosscheck.screen.ExceptionList;
import org.junit.jupiter.api.Test;

/** Which screening outcomes exit 5, under run.fail_on and --fail-on (no Spark: the policies that need no table). */
class ExitPolicyTest {
    private static StageCommand.Context context(String failOn) {
        CrossCheckConfig cfg = new CrossCheckConfig(null, null, null, null, null, null, null,
                new CrossCheckConfig.RunSettings(failOn, null));
        return new StageCommand.Context(null, cfg, null, new RunManifest("R2", "screen"), new ArrayList<>());
    }

    /** Only reviews left over from earlier runs: nothing new this run. */
    private static final ExceptionList.MergeSummary OLD_ONLY = new ExceptionList.MergeSummary("R2", 0, 40, 0, 0, 0, 0, 40, 40);
    private static final ExceptionList.MergeSummary ONE_NEW = new ExceptionList.MergeSummary("R2", 1, 40, 0, 0, 0, 0, 41, 41);

    @Test
    void findingsAwaitingReviewExit5ByDefault() {
        assertEquals(ExitCode.FINDINGS_PRESENT, ScreenCommand.exitCode(context(null), OLD_ONLY, null));
    }

    @Test
    void newFindingsOnlyIgnoresWhatEarlierRunsAlreadyReported() {
        assertEquals(ExitCode.SUCCESS, ScreenCommand.exitCode(context("new_findings"), OLD_ONLY, null));
        assertEquals(ExitCode.FINDINGS_PRESENT, ScreenCommand.exitCode(context("new_findings"), ONE_NEW, null));
    }

    @Test
    void theFlagOverridesTheConfigurationAndNeverMeansZero() {
        assertEquals(ExitCode.SUCCESS, ScreenCommand.exitCode(context("findings"), ONE_NEW, FailOn.NEVER));
        assertEquals(ExitCode.SUCCESS, ScreenCommand.exitCode(context(null), OLD_ONLY, FailOn.NEW_HIGH_SEVERITY),
                "nothing new: no table needs reading");
    }
}
