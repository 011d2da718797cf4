package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.colsparse.denoiser.full.FullSd15Test.array;
import static org.colsparse.denoiser.full.FullSd15Test.floats;
import static org.colsparse.denoiser.full.FullSd15Test.relError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-size AnimateDiff: declared size and sites against the full preset; at a reduced config (4 frames),
 * one forward pass of v1, v2 and a diffusers MotionAdapter and two guided DDIM steps of v1 against the NumPy reference in
 * {@code src/test/resources/full/animatediff/make_fixture.py}, loaded from a folder in the official layout.
 */
class FullAnimateDiffTest {
    private static Path fixture(String name) {
        return FullSd15Test.fixture("../animatediff/" + name);
    }

    /** A checkpoint folder as AnimateDiff lays out its models/ directory. */
    private static Path folder(Path dir, String motionName, String motionFixture) throws IOException {
        Files.createDirectories(dir.resolve("StableDiffusion/unet"));
        Files.createDirectories(dir.resolve(motionName).getParent());
        Files.copy(fixture("unet.safetensors"), dir.resolve("StableDiffusion/unet/diffusion_pytorch_model.safetensors"));
        Files.copy(fixture(motionFixture), dir.resolve(motionName));
        return dir;
    }

    @Test
    void fullSizeParametersAndSitesMatchThePreset() {
        FullPreset preset = Catalog.shapes("animatediff");
        FullUnet unet = new FullUnet(null, FullAnimateDiffWorkload.Version.V1.apply(FullSd15Workload.CONFIG, 16, 8));
        assertEquals(preset.parameters(), unet.parameterCount());
        List<SiteSpec> sites = Catalog.runtime("animatediff", Preset.full).info().sites();
        assertEquals(36, sites.size());
        assertEquals(preset.sites().size(), unet.sites().size());
        for (int i = 0; i < sites.size(); i++) {
            org.colsparse.workload.GeluSite expected = preset.sites().get(i);
            assertEquals(expected.name(), sites.get(i).name());
            assertEquals(expected.name(), unet.sites().get(i).name());
            assertEquals(expected.k(), unet.sites().get(i).channels(), expected.name());
            assertEquals(expected.tokensPerSample(), sites.get(i).rowsPerSample(), expected.name());
        }
        // v2 adds the mid-block module: one more site
        FullUnet v2 = new FullUnet(null, FullAnimateDiffWorkload.Version.V2.apply(FullSd15Workload.CONFIG, 16, 8));
        assertEquals(37, v2.sites().size());
        assertEquals("mid.motion.0.ff", v2.sites().get(15).name());
    }

    @Test
    void forwardMatchesNumpyForV1AndV2(@TempDir Path tmp) throws IOException {
        Path in = fixture("inputs.npz");
        Path exp = fixture("expected.npz");
        String[][] cases = {{"v1", "Motion_Module/mm_sd_v15.ckpt", "mm_v1.ckpt"}, {"v2", "Motion_Module/mm_sd_v15_v2.ckpt", "mm_v2.ckpt"},
                {"diffusers", "animatediff-motion-adapter-v1-5-2/diffusion_pytorch_model.safetensors", "mm_diffusers.safetensors"}};
        try (NDManager m = Torch.manager()) {
            for (String[] c : cases) {
                Path dir = folder(tmp.resolve(c[0]), c[1], c[2]);
                try (FullUnet unet = FullAnimateDiffWorkload.build(m, dir, FullSd15Test.SMALL, 4, 2)) {
                    List<float[]> gates = new ArrayList<>();
                    List<Integer> rows = new ArrayList<>();
                    GeluTap tap = GeluTap.observing((site, data, r) -> {
                        gates.add(data.clone());
                        rows.add(r);
                    });
                    float[] eps = unet.forward(array(m, in, "x"), array(m, in, "t"), array(m, in, "context"), tap).toFloatArray();
                    double err = relError(eps, floats(exp, "eps_" + c[0]));
                    assertTrue(err < 1e-4, c[0] + ": rel error " + err);
                    assertEquals(c[0].equals("v1") ? 10 : 11, gates.size());
                    assertEquals(!c[0].equals("v1"), unet.config().motionMid(), c[0]);
                    assertEquals("down.0.motion.0.ff", unet.sites().get(1).name());
                    double gateErr = relError(gates.get(1), floats(exp, "gate_" + c[0] + "_1"));
                    assertTrue(gateErr < 1e-4, c[0] + " motion site in the official row order: rel error " + gateErr);
                    for (int i = 0; i < rows.size(); i++) {
                        assertEquals(2 * FullSd15Workload.rowsPerSample(unet.config(), unet.sites().get(i).name(), 8, 8), (long) rows.get(i));
                    }
                }
            }
        }
    }

    @Test
    void twoGuidedDdimStepsMatchNumpy(@TempDir Path tmp) throws IOException {
        Path in = fixture("inputs.npz");
        try (NDManager m = Torch.manager();
             FullUnet unet = FullAnimateDiffWorkload.build(m, folder(tmp, "Motion_Module/mm_sd_v15.ckpt", "mm_v1.ckpt"), FullSd15Test.SMALL, 4, 2)) {
            NDArray context = FullSd15Workload.cfgContext(m,
                    new FullConditions.CfgPair(new float[][] {floats(in, "text")}, new float[][] {floats(in, "uncond")}), 0, 1, 4, 8);
            float[] x = FullAnimateDiffWorkload.sample(unet, m, array(m, in, "xT"), context, 2, 8, null, (s, n, t) -> { }).toFloatArray();
            double err = relError(x, floats(fixture("expected.npz"), "sample2_v1"));
            assertTrue(err < 1e-4, "rel error " + err);
        }
    }

    @Test
    void previewShowsEveryFrameAsARowOfChannels(@TempDir Path dir) throws IOException {
        // one video of 2 frames, 4 channels of 1 x 1: frame 1's channel 2 is 0, everything else -3
        float[] v = new float[8];
        java.util.Arrays.fill(v, -3);
        v[(1 * 4) + 2] = 0;
        FullUnet declared = new FullUnet(null, FullAnimateDiffWorkload.Version.V1.apply(FullSd15Test.SMALL, 2, 2));
        Path png = new FullAnimateDiffWorkload.Loaded(declared, new FullConditions.CfgPair(new float[][] {{1}}, new float[][] {{1}}))
                .writePreview(new Samples(v, new long[] {1, 2, 4, 1, 1}), dir);
        BufferedImage img = ImageIO.read(png.toFile());
        // 1 x 1 pictures scaled to 128: 70 label + 4 x 132 + 4 wide, 22 title + 2 x 132 + 4 high
        assertEquals(70 + 4 * 132 + 4, img.getWidth());
        assertEquals(22 + 2 * 132 + 4, img.getHeight());
        assertEquals(0x808080, img.getRGB(70 + 2 * 132 + 10, 22 + 132 + 10) & 0xffffff, "frame 1, channel 2");
        assertEquals(0x000000, img.getRGB(70 + 2 * 132 + 10, 22 + 10) & 0xffffff, "frame 0, channel 2");
    }

    @Test
    void motionAdapterFixtureHoldsTheOfficialBuffers() {
        // diffusers' BasicTransformerBlock(positional_embeddings="sinusoidal") owns one persistent pos_embed.pe per block:
        // one float32 (1, 32, c) buffer per motion module, which a strict official load_state_dict expects
        try (TensorSource file = TensorSources.openWeights(fixture("mm_diffusers.safetensors"))) {
            Map<String, Long> widths = new TreeMap<>();
            for (TensorInfo t : file.tensors()) {
                if (t.name().endsWith(".proj_in.weight")) {
                    widths.put(t.name().replace(".proj_in.weight", ".transformer_blocks.0.pos_embed.pe"), t.shape()[0]);
                }
            }
            assertEquals(7, widths.size(), "v2's motion modules");
            Map<String, String> buffers = new TreeMap<>();
            Map<String, String> expected = new TreeMap<>();
            widths.forEach((name, c) -> expected.put(name, "F32 [1, 32, " + c + "]"));
            for (TensorInfo t : file.tensors()) {
                if (t.name().endsWith(".pe")) {
                    buffers.put(t.name(), t.dtype() + " " + java.util.Arrays.toString(t.shape()));
                }
            }
            assertEquals(expected, buffers);
        }
        // the buffers are recomputed, under either name
        assertTrue(FullUnetKeys.ignored("mid_block.motion_modules.0.transformer_blocks.0.pos_embed.pe"));
        assertTrue(FullUnetKeys.ignored("mid_block.motion_modules.0.transformer_blocks.0.attn1.pos_embed.pe"));
    }

    @Test
    void motionAdapterKeysMapToTheOriginalNames() {
        assertEquals("down_blocks.1.motion_modules.0.temporal_transformer.transformer_blocks.0.attention_blocks.1.to_q.weight",
                FullUnetKeys.fromMotionAdapter("down_blocks.1.motion_modules.0.transformer_blocks.0.attn2.to_q.weight"));
        assertEquals("mid_block.motion_modules.0.temporal_transformer.transformer_blocks.0.ff_norm.bias",
                FullUnetKeys.fromMotionAdapter("mid_block.motion_modules.0.transformer_blocks.0.norm3.bias"));
        assertEquals("up_blocks.3.motion_modules.2.temporal_transformer.norm.weight",
                FullUnetKeys.fromMotionAdapter("up_blocks.3.motion_modules.2.norm.weight"));
        assertEquals("up_blocks.0.motion_modules.1.temporal_transformer.transformer_blocks.0.ff.net.0.proj.weight",
                FullUnetKeys.fromMotionAdapter("up_blocks.0.motion_modules.1.transformer_blocks.0.ff.net.0.proj.weight"));
    }

    @Test
    void folderMustHoldExactlyOneOfEach(@TempDir Path tmp) throws IOException {
        try (NDManager m = Torch.manager()) {
            InputException file = assertThrows(InputException.class,
                    () -> FullAnimateDiffWorkload.build(m, fixture("unet.safetensors"), FullSd15Test.SMALL, 4, 2));
            assertTrue(file.getMessage().contains("needs a folder"), file.getMessage());
            Files.createDirectories(tmp.resolve("unet"));
            Files.copy(fixture("unet.safetensors"), tmp.resolve("unet/diffusion_pytorch_model.safetensors"));
            InputException none = assertThrows(InputException.class, () -> FullAnimateDiffWorkload.build(m, tmp, FullSd15Test.SMALL, 4, 2));
            assertTrue(none.getMessage().contains("has no motion module"), none.getMessage());
            Files.copy(fixture("mm_v1.ckpt"), tmp.resolve("mm_sd_v15.ckpt"));
            Files.copy(fixture("mm_v2.ckpt"), tmp.resolve("mm_sd_v15_v2.ckpt"));
            InputException two = assertThrows(InputException.class, () -> FullAnimateDiffWorkload.build(m, tmp, FullSd15Test.SMALL, 4, 2));
            assertTrue(two.getMessage().contains("2 motion module files"), two.getMessage());
            // a v1 file under v2's name: v2's mid-block module is missing, and said so
            Files.delete(tmp.resolve("mm_sd_v15.ckpt"));
            Files.delete(tmp.resolve("mm_sd_v15_v2.ckpt"));
            Files.copy(fixture("mm_v1.ckpt"), tmp.resolve("mm_sd_v15_v2.ckpt"));
            InputException wrong = assertThrows(InputException.class, () -> FullAnimateDiffWorkload.build(m, tmp, FullSd15Test.SMALL, 4, 2));
            assertTrue(wrong.getMessage().contains("mid_block.motion_modules.0.temporal_transformer.proj_in.weight"), wrong.getMessage());
        }
    }
}
