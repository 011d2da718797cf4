package org.colsparse.workload;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadsTest {
    @Test
    void sevenWorkloadsInThreeGroups() {
        assertEquals(List.of("sd15", "audioldm", "animatediff", "dit", "mdm", "mld", "edge"), Workloads.ids());
        assertEquals(List.of("unet-transformer", "unet-transformer", "unet-transformer", "pure-transformer",
                "motion", "motion", "motion"), Workloads.ALL.stream().map(w -> w.group().cliName()).toList());
        // docs/workloads.md's modality column (its prose counts motion and dance as one modality)
        assertEquals(List.of("image", "audio", "video", "image", "motion", "motion", "dance"),
                Workloads.ALL.stream().map(w -> w.modality().cliName()).toList());
    }

    @Test
    void samplerDefaultsFromDesign() {
        WorkloadInfo sd = Workloads.get("sd15");
        assertEquals(50, sd.steps());
        assertEquals(7.5, sd.cfgScale());
        assertEquals(200, Workloads.get("audioldm").steps());
        assertEquals(2.5, Workloads.get("audioldm").cfgScale());
        assertEquals(25, Workloads.get("animatediff").steps());
        assertEquals(250, Workloads.get("dit").steps());
        assertEquals(4.0, Workloads.get("dit").cfgScale());
        assertEquals(1000, Workloads.get("mdm").steps());
        assertEquals(7.5, Workloads.get("mld").cfgScale());
        assertEquals(2.0, Workloads.get("edge").cfgScale());
        for (WorkloadInfo w : Workloads.ALL) {
            assertEquals(2, w.cfgBatch());
        }
    }

    @Test
    void unknownWorkloadListsTheKnownNames() {
        InputException e = assertThrows(InputException.class, () -> Workloads.get("sdxl"));
        assertTrue(e.getMessage().contains("sdxl"), e.getMessage());
        for (String id : Workloads.ids()) {
            assertTrue(e.getMessage().contains(id), e.getMessage());
        }
        assertThrows(InputException.class, () -> FullPresets.of("sdxl"));
    }

    @Test
    void groupAndModalityGoOutByTheirNames() throws Exception {
        assertEquals("[\"unet-transformer\",\"dance\"]",
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(List.of(WorkloadGroup.UNET_TRANSFORMER, Modality.DANCE)));
        assertEquals("pure-transformer", WorkloadGroup.PURE_TRANSFORMER.toString());
    }
}
