package org.colsparse.pipeline;

import org.colsparse.accel.AccelConfig;
import org.colsparse.denoiser.Preset;
import org.colsparse.layout.LayoutKind;
import org.colsparse.taxonomy.TaxonomyRule;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsTest {
    private static String fingerprint(TaxonomyRule rule) {
        return new RunOptions(List.of("dit"), Path.of("out"), AccelConfig.defaults(), List.of(LayoutKind.ROW_MAJOR), 0.01,
                new double[] {0.01}, new int[] {128}, null, null, 0, 4, 1, Preset.tiny, null, Map.of(), rule, 4, 2, null).fingerprint().text();
    }

    @Test
    void theElementSparsityFloorIsPartOfTheFingerprint() {
        // --resume compares fingerprints line by line: a run made with another floor must not be resumed
        assertTrue(fingerprint(TaxonomyRule.DEFAULT).contains("\nmin_element_sparsity=10\n"), fingerprint(TaxonomyRule.DEFAULT));
        assertTrue(fingerprint(new TaxonomyRule(8, 5, 2.5)).contains("\nmin_element_sparsity=2.5\n"));
    }
}
