package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullSd15Test.array;
import static org.colsparse.denoiser.full.FullSd15Test.floats;
import static org.colsparse.denoiser.full.FullSd15Test.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-size AudioLDM: declared size and sites against the full preset; at a reduced config, one forward
 * pass (diffusers and original key layouts) and two guided DDIM steps against the NumPy reference in
 * {@code src/test/resources/full/audioldm/make_fixture.py}.
 */
class FullAudioLdmTest {
    /** The reduced config make_fixture.py builds: no attention at the top level, CLAP width 6, no context. */
    static final FullUnet.Config SMALL = new FullUnet.Config(8, new int[] {8, 16}, new boolean[] {false, true}, 1, 2, 0, 4, 0, 0,
            false, false, false, 6);

    private static Path fixture(String name) {
        return FullSd15Test.fixture("../audioldm/" + name);
    }

    @Test
    void fullSizeParametersAndSitesMatchThePreset() {
        FullPreset preset = Catalog.shapes("audioldm");
        FullUnet unet = new FullUnet(null, FullAudioLdmWorkload.CONFIG);
        assertEquals(preset.parameters(), unet.parameterCount());
        List<SiteSpec> sites = Catalog.runtime("audioldm", Preset.full).info().sites();
        assertEquals(16, sites.size());
        assertEquals(preset.sites().size(), unet.sites().size());
        for (int i = 0; i < sites.size(); i++) {
            org.colsparse.workload.GeluSite expected = preset.sites().get(i);
            assertEquals(expected.name(), sites.get(i).name());
            assertEquals(expected.name(), unet.sites().get(i).name());
            assertEquals(expected.k(), unet.sites().get(i).channels(), expected.name());
            assertEquals(expected.tokensPerSample(), sites.get(i).rowsPerSample(), expected.name());
        }
        assertEquals("film_emb.weight", FullUnetKeys.compVisNames(unet).get("class_embedding.weight"));
    }

    @Test
    void forwardMatchesNumpyFromBothKeyLayouts() {
        Path in = fixture("inputs.npz");
        Path exp = fixture("expected.npz");
        try (NDManager m = Torch.manager()) {
            float[][] outs = new float[2][];
            String[] files = {"unet_diffusers.safetensors", "unet_compvis.ckpt"};
            for (int f = 0; f < 2; f++) {
                try (FullUnet unet = FullSd15Workload.loaded(m, SMALL, fixture(files[f]), "audioldm")) {
                    List<float[]> gates = new ArrayList<>();
                    List<Integer> rows = new ArrayList<>();
                    GeluTap tap = GeluTap.observing((site, data, r) -> {
                        gates.add(data.clone());
                        rows.add(r);
                    });
                    outs[f] = unet.forward(array(m, in, "x"), array(m, in, "t"), null, array(m, in, "clap"), tap).toFloatArray();
                    double err = relError(outs[f], floats(exp, "eps"));
                    assertTrue(err < 1e-4, files[f] + ": rel error " + err);
                    assertEquals(4, gates.size());
                    for (int i = 0; i < gates.size(); i++) {
                        assertTrue(relError(gates.get(i), floats(exp, "gate" + i)) < 1e-4, "site " + i);
                        assertEquals(2 * FullSd15Workload.rowsPerSample(SMALL, unet.sites().get(i).name(), 8, 4), (long) rows.get(i));
                    }
                }
            }
            assertArrayEquals(outs[0], outs[1], "same weights under original and diffusers names");
        }
    }

    /** make_fixture.py's UNet with attention at two widths: 2 heads at both in diffusers' convention, heads of 4 channels in the original's. */
    static final FullUnet.Config TWO_WIDTHS = new FullUnet.Config(8, new int[] {8, 16}, new boolean[] {true, true}, 1, 2, 0, 4, 0, 0,
            false, false, false, 6);

    @Test
    void headsFollowTheFilesOwnFormat() {
        // the original AudioLDM-S: heads of 32 channels (num_head_channels); diffusers' port: 8 heads at every width
        assertEquals(List.of(8, 12, 20), List.of(256, 384, 640).stream().map(FullAudioLdmWorkload.ORIGINAL::headsAt).toList());
        assertEquals(List.of(8, 8, 8), List.of(256, 384, 640).stream().map(FullAudioLdmWorkload.CONFIG::headsAt).toList());
        Path in = fixture("inputs.npz");
        Path exp = fixture("two_widths_expected.npz");
        String[][] files = {{"two_widths_diffusers.safetensors", "eps_diffusers"}, {"two_widths_compvis.ckpt", "eps_original"}};
        try (NDManager m = Torch.manager()) {
            for (String[] f : files) {
                try (FullUnet unet = FullSd15Workload.loaded(m, TWO_WIDTHS, TWO_WIDTHS.withHeadChannels(4), fixture(f[0]), "audioldm")) {
                    float[] eps = unet.forward(array(m, in, "x"), array(m, in, "t"), null, array(m, in, "clap"), null).toFloatArray();
                    double err = relError(eps, floats(exp, f[1]));
                    assertTrue(err < 1e-4, f[0] + ": rel error " + err + " against " + f[1]);
                }
            }
        }
        double apart = relError(floats(exp, "eps_diffusers"), floats(exp, "eps_original"));
        assertTrue(apart > 0.05, "the fixture tells the conventions apart: " + apart);
    }

    @Test
    void twoGuidedDdimStepsMatchNumpy() {
        Path in = fixture("inputs.npz");
        try (NDManager m = Torch.manager(); FullUnet unet = FullSd15Workload.loaded(m, SMALL, fixture("unet_diffusers.safetensors"), "audioldm")) {
            NDArray cls = FullAudioLdmWorkload.cfgClassCond(m,
                    new FullConditions.CfgPair(new float[][] {floats(in, "text")}, new float[][] {floats(in, "uncond")}), 0, 1);
            float[] x = FullAudioLdmWorkload.sample(unet, m, array(m, in, "xT"), cls, 2, 2.5, null, (s, n, t) -> { }).toFloatArray();
            double err = relError(x, floats(fixture("expected.npz"), "sample2"));
            assertTrue(err < 1e-4, "rel error " + err);
        }
    }

    @Test
    void previewDrawsTimeToTheRightAndMelBinsUp(@TempDir Path dir) throws IOException {
        // one sample, one channel, 2 time steps x 3 bins: only (t 0, bin 0) is at the window's top
        float[] v = {3, -3, -3, -3, -3, -3};
        Path png = new FullAudioLdmWorkload.Loaded(new FullUnet(null, SMALL),
                new FullConditions.CfgPair(new float[][] {{1}}, new float[][] {{1}}))
                .writePreview(new Samples(v, new long[] {1, 1, 2, 3}), dir);
        BufferedImage img = ImageIO.read(png.toFile());
        // a 3 x 2 picture scaled by 128 / 3 = 42: 70 label + 84 + 4 + 4 wide, 22 title + 126 + 4 + 4 high
        assertEquals(70 + 2 * 42 + 8, img.getWidth());
        assertEquals(22 + 3 * 42 + 8, img.getHeight());
        assertEquals(0xffffff, img.getRGB(70 + 5, 22 + 2 * 42 + 5) & 0xffffff, "bin 0 at the bottom, time 0 on the left");
        assertEquals(0x000000, img.getRGB(70 + 5, 22 + 5) & 0xffffff);
        assertEquals(0x000000, img.getRGB(70 + 42 + 5, 22 + 2 * 42 + 5) & 0xffffff);
    }

    @Test
    void clapConditionsAreChecked(@TempDir Path dir) {
        Workload w = Catalog.runtime("audioldm", Preset.full);
        assertEquals(List.of("text", "uncond"), w.conditions().stream().map(c -> c.name()).toList());
        Path bad = dir.resolve("clap.npy");
        try (NpyWriter npy = NpyWriter.create(bad, DType.F32, new long[] {2, 768})) {
            npy.writeFloats(new float[2 * 768], 0, 2 * 768);
            npy.commit();
        }
        try (NDManager m = Torch.manager()) {
            InputException e = assertThrows(InputException.class,
                    () -> w.load(m, fixture("unet_diffusers.safetensors"), Map.of("text", bad, "uncond", bad)));
            assertTrue(e.getMessage().startsWith("--cond text: ") && e.getMessage().contains("[2, 768]"), e.getMessage());
            InputException none = assertThrows(InputException.class, () -> w.load(m, null, Map.of()));
            assertTrue(none.getMessage().contains("audioldm-s-full-v2"), none.getMessage());
        }
    }
}
