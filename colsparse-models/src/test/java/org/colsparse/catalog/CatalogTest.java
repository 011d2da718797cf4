package org.colsparse.catalog;

import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Workload;
import org.colsparse.util.InputException;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {
    @Test
    void nineRegisteredSevenWithFullSizeInThreeGroups() {
        assertEquals(List.of("ddpm-mnist", "vit-mnist", "dit", "mdm", "mld", "edge", "sd15", "audioldm", "animatediff"),
                Catalog.all().stream().map(WorkloadDescriptor::id).toList());
        // docs/workloads.md's table order: by group
        assertEquals(List.of("sd15", "audioldm", "animatediff", "dit", "mdm", "mld", "edge"),
                Catalog.fullSize().stream().map(WorkloadDescriptor::id).toList());
        assertEquals(List.of("unet-transformer", "unet-transformer", "unet-transformer", "pure-transformer",
                "motion", "motion", "motion"), Catalog.fullSize().stream().map(w -> w.identity().group().cliName()).toList());
        // docs/workloads.md's modality column (its prose counts motion and dance as one modality)
        assertEquals(List.of("image", "audio", "video", "image", "motion", "motion", "dance"),
                Catalog.fullSize().stream().map(w -> w.identity().modality().cliName()).toList());
        assertEquals(List.of("geglu", "geglu", "geglu", "tanh", "exact", "exact", "exact"),
                Catalog.fullSize().stream().map(w -> w.identity().gelu().cliName()).toList());
    }

    @Test
    void samplerDefaultsFromTheWorkloadTable() {
        FullSize sd = Catalog.fullSize("sd15");
        assertEquals(50, sd.steps());
        assertEquals(7.5, sd.cfgScale());
        assertEquals(200, Catalog.fullSize("audioldm").steps());
        assertEquals(2.5, Catalog.fullSize("audioldm").cfgScale());
        assertEquals(25, Catalog.fullSize("animatediff").steps());
        assertEquals(250, Catalog.fullSize("dit").steps());
        assertEquals(4.0, Catalog.fullSize("dit").cfgScale());
        assertEquals(1000, Catalog.fullSize("mdm").steps());
        assertEquals(7.5, Catalog.fullSize("mld").cfgScale());
        assertEquals(2.0, Catalog.fullSize("edge").cfgScale());
        for (WorkloadDescriptor w : Catalog.fullSize()) {
            assertEquals(2, w.fullSize().cfgBatch());
        }
    }

    @Test
    void unknownWorkloadListsTheKnownNames() {
        InputException e = assertThrows(InputException.class, () -> Catalog.fullSize("sdxl"));
        assertEquals("--workload: unknown workload 'sdxl' (known: sd15, audioldm, animatediff, dit, mdm, mld, edge)", e.getMessage());
        assertEquals("--workload: unknown workload 'ddpm-mnist' (known: sd15, audioldm, animatediff, dit, mdm, mld, edge)",
                assertThrows(InputException.class, () -> Catalog.shapes("ddpm-mnist", 2)).getMessage());
        assertEquals("--workload: unknown workload 'sdxl', built in: ddpm-mnist, vit-mnist, dit, mdm, mld, edge, sd15, audioldm, animatediff",
                assertThrows(InputException.class, () -> Catalog.runtime("sdxl")).getMessage());
        assertEquals("--preset full: no full-size runtime for 'vit-mnist', available: dit, mdm, mld, edge, sd15, audioldm, animatediff",
                assertThrows(InputException.class, () -> Catalog.runtime("vit-mnist", Preset.full)).getMessage());
        assertEquals("--batch: must be at least 1, got 0", assertThrows(InputException.class, () -> Catalog.shapes("dit", 0)).getMessage());
    }

    @Test
    void everyRuntimeStatesItsDescriptorsIdentity() {
        for (WorkloadDescriptor d : Catalog.all()) {
            assertEquals(d.identity(), d.shipped().info().identity(), d.id());
            assertSame(d.shipped(), Catalog.runtime(d.id()));
            if (d.full() != null) {
                assertEquals(d.identity(), d.full().info().identity(), d.id());
                assertSame(d.full(), Catalog.runtime(d.id(), Preset.full));
            }
        }
        WorkloadDescriptor ddpm = Catalog.get("ddpm-mnist");
        assertEquals(WorkloadGroup.CONV, ddpm.identity().group());
        assertEquals(Modality.IMAGE, ddpm.identity().modality());
        assertEquals(GeluVariant.EXACT, ddpm.identity().gelu());
        assertNull(ddpm.full());
        assertNull(ddpm.fullSize());
    }

    @Test
    void aRuntimeOfAnotherWorkloadIsRefusedAtRegistration() {
        Workload dit = Catalog.runtime("dit");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WorkloadDescriptor(Catalog.get("mdm").identity(), dit, null, null));
        assertTrue(e.getMessage().contains("dit") && e.getMessage().contains("mdm"), e.getMessage());
    }

    @Test
    void enumsGoOutByTheirNames() throws Exception {
        assertEquals("[\"unet-transformer\",\"dance\",\"geglu\"]", new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(List.of(WorkloadGroup.UNET_TRANSFORMER, Modality.DANCE, GeluVariant.GEGLU)));
        assertEquals("pure-transformer", WorkloadGroup.PURE_TRANSFORMER.toString());
        assertEquals("tanh", GeluVariant.TANH.toString());
    }
}
