package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Torch;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official-checkpoint view on its own, with made-up key rules; the workload tests cover the real ones. */
class FullCheckpointTest {

    /** Lightning-style: the model under {@code state_dict.net.}, everything else ignored. */
    private static String lightning(String key) {
        return key.startsWith("state_dict.net.") ? key.substring("state_dict.".length()) : null;
    }

    private static Path file(Path dir, String... keys) {
        return named(dir, "ckpt.safetensors", keys);
    }

    private static Path named(Path dir, String name, String... keys) {
        SafetensorsWriter w = new SafetensorsWriter();
        float v = 1;
        for (String k : keys) {
            w.put(k, new float[] {v++, v++}, 2);
        }
        Path f = dir.resolve(name);
        w.write(f, false);
        return f;
    }

    @Test
    void theRuleRenamesAndHidesKeysAndDataFollowsTheRename(@TempDir Path dir) {
        Path f = file(dir, "state_dict.net.w", "state_dict.vae.w", "optimizer_states.0");
        try (FullCheckpoint c = FullCheckpoint.open(f, keys -> FullCheckpointTest::lightning)) {
            assertEquals(List.of("net.w"), c.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new long[] {2}, c.info("net.w").shape());
            assertNull(c.info("state_dict.net.w"));
            float[] v = new float[2];
            c.data("net.w").readFloats(0, v, 0, 2);
            assertArrayEquals(new float[] {1, 2}, v);
            // an ignored key is not readable under any name: the model cannot pick it up by accident
            assertThrows(IllegalArgumentException.class, () -> c.data("state_dict.vae.w"));
        }
    }

    @Test
    void theRuleSeesAllKeysFirst(@TempDir Path dir) {
        AtomicReference<List<String>> seen = new AtomicReference<>();
        Path f = file(dir, "a", "b");
        FullCheckpoint.open(f, keys -> {
            seen.set(keys);
            return k -> k;
        }).close();
        assertEquals(List.of("a", "b"), seen.get());
    }

    /** A one-weight network that records whether it was closed. */
    private static final class OneWeight extends Network {
        private boolean closed;

        OneWeight(NDManager manager) {
            super(manager);
            p.declare("net.w", 2);
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }

    @Test
    void aRefusedFileClosesTheNetwork(@TempDir Path dir) {
        try (NDManager m = Torch.manager()) {
            OneWeight good = new OneWeight(m);
            try (FullCheckpoint c = FullCheckpoint.open(file(dir, "state_dict.net.w"), keys -> FullCheckpointTest::lightning)) {
                c.loadInto(good, "one-weight net");
            }
            assertArrayEquals(new float[] {1, 2}, good.params().floats("net.w"));
            assertFalse(good.closed);
            good.close();

            OneWeight bad = new OneWeight(m);
            try (FullCheckpoint c = FullCheckpoint.open(file(dir, "state_dict.vae.w"), keys -> FullCheckpointTest::lightning)) {
                InputException e = assertThrows(InputException.class, () -> c.loadInto(bad, "one-weight net"));
                assertTrue(e.getMessage().contains("not a one-weight net checkpoint: 1 missing key(s) [net.w]"), e.getMessage());
            }
            assertTrue(bad.closed);
        }
    }

    @Test
    void twoKeysForOneWeightAreAnError(@TempDir Path dir) {
        Path f = file(dir, "ema.w", "w");
        InputException e = assertThrows(InputException.class,
                () -> FullCheckpoint.open(f, keys -> k -> k.startsWith("ema.") ? k.substring(4) : k));
        assertTrue(e.getMessage().endsWith("keys 'ema.w' and 'w' both hold the model's w"), e.getMessage());
    }

    @Test
    void severalFilesAreOneCheckpointWithNoNameFromTwoFiles(@TempDir Path dir) {
        Path base = named(dir, "base.safetensors", "state_dict.net.w", "state_dict.vae.w");
        Path extra = named(dir, "extra.safetensors", "net.v");
        FullCheckpoint.KeyRule renamed = new FullCheckpoint.KeyRule() {
            @Override
            public String modelKey(String fileKey) {
                return "net." + fileKey.substring("net.".length()).toUpperCase();
            }

            @Override
            public String naming() {
                return "keys shown in upper case";
            }
        };
        try (FullCheckpoint c = FullCheckpoint.open(List.of(new FullCheckpoint.Part(base, keys -> FullCheckpointTest::lightning),
                new FullCheckpoint.Part(extra, keys -> renamed)))) {
            assertEquals(List.of("net.w", "net.V"), c.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(base + " + " + extra + " (keys shown in upper case)", c.file());
            float[] v = new float[2];
            c.data("net.V").readFloats(0, v, 0, 2);
            assertArrayEquals(new float[] {1, 2}, v, "read from the second file");
        }
        Path again = named(dir, "again.safetensors", "net.w");
        InputException e = assertThrows(InputException.class, () -> FullCheckpoint.open(List.of(
                new FullCheckpoint.Part(base, keys -> FullCheckpointTest::lightning), new FullCheckpoint.Part(again, keys -> k -> k))));
        assertEquals(again + ": key 'net.w' holds the model's net.w, which " + base + " holds too (as 'state_dict.net.w')", e.getMessage());
    }

    @Test
    void pythonObjectsBesideTheWeightsAreSkippedUnread(@TempDir Path dir) throws Exception {
        Path plain = Path.of("src/test/resources/full/mdm/model.pt");
        Path f = dir.resolve("lightning.ckpt");
        FullFixtures.rewritePickle(plain, f, p -> FullFixtures.withObject(p, "hyper_parameters", "omegaconf.dictconfig", "DictConfig"));
        try (FullCheckpoint c = FullCheckpoint.open(f, keys -> k -> k); FullCheckpoint want = FullCheckpoint.open(plain, keys -> k -> k)) {
            assertEquals(want.tensors(), c.tensors());
            String first = want.tensors().get(0).name();
            float[] a = new float[Math.toIntExact(want.info(first).elementCount())];
            float[] b = new float[a.length];
            want.data(first).readFloats(0, a, 0, a.length);
            c.data(first).readFloats(0, b, 0, b.length);
            assertArrayEquals(a, b);
        }
        // inspect and analyze still refuse the file
        InputException e = assertThrows(InputException.class, () -> TensorSources.open(f));
        assertEquals(f + ": refuses pickle global 'omegaconf.dictconfig DictConfig' (only tensors, storages and plain containers are allowed)",
                e.getMessage());
    }

    @Test
    void aMissingCheckpointNamesTheOfficialFile() {
        DenoiserInfo info = new DenoiserInfo("net", WorkloadGroup.UNET_TRANSFORMER, Modality.IMAGE, org.colsparse.workload.GeluVariant.EXACT, "d", List.of(), "net.ckpt (org/repo)", "s", 1, 1, 1);
        InputException e = assertThrows(InputException.class, () -> FullCheckpoint.required(null, info));
        assertEquals("--checkpoint: the full-size net needs the official weights, net.ckpt (org/repo)", e.getMessage());
        FullCheckpoint.required(Path.of("x"), info);
    }
}
