package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full-size SD 1.5 UNet: its declared size and sites against the full preset, and one forward
 * pass plus two guided DDIM steps at a reduced config against the NumPy reference in
 * {@code src/test/resources/full/sd15/make_fixture.py}, loaded from both official key layouts.
 */
class FullSd15Test {
    /** The reduced config make_fixture.py builds (same block types as SD 1.5, smaller everything). */
    static final FullUnet.Config SMALL = new FullUnet.Config(4, new int[] {8, 16}, new boolean[] {true, false}, 1, 2, 8, 4, 0, 0, false, false, false, 0);

    static Path fixture(String name) {
        try {
            return Path.of(FullSd15Test.class.getResource("/full/sd15/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] floats(Path file, String name) {
        try (TensorSource s = TensorSources.open(file)) {
            TensorData d = s.data(name);
            float[] v = new float[Math.toIntExact(d.info().elementCount())];
            d.readFloats(0, v, 0, v.length);
            return v;
        }
    }

    static long[] shape(Path file, String name) {
        try (TensorSource s = TensorSources.open(file)) {
            return s.data(name).info().shape();
        }
    }

    static NDArray array(NDManager m, Path file, String name) {
        return m.create(floats(file, name), new Shape(shape(file, name)));
    }

    /** max |a - e| / max |e|: the fixture's tolerance is relative to the output's scale. */
    static double relError(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length);
        double err = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return err / scale;
    }

    @Test
    void fullSizeParametersEqualThePublishedCount() {
        FullUnet unet = new FullUnet(null, FullSd15Workload.CONFIG);
        FullPreset preset = Catalog.shapes("sd15");
        assertEquals(preset.parameters(), unet.parameterCount());
        // diffusers: sum(p.numel() for p in UNet2DConditionModel.from_pretrained(...).parameters()) = 859,520,964
        assertEquals(859_520_964L, unet.parameterCount());
        assertEquals(686, unet.params().spec().size(), "tensors in the official diffusers unet file");
    }

    @Test
    void sitesCorrespondOneToOneToThePreset() {
        FullPreset preset = Catalog.shapes("sd15");
        List<SiteSpec> sites = Catalog.runtime("sd15", Preset.full).info().sites();
        assertEquals(16, sites.size());
        assertEquals(preset.sites().size(), sites.size());
        FullUnet unet = new FullUnet(null, FullSd15Workload.CONFIG);
        for (int i = 0; i < sites.size(); i++) {
            org.colsparse.workload.GeluSite expected = preset.sites().get(i);
            assertEquals(expected.name(), sites.get(i).name());
            assertEquals(expected.name(), unet.sites().get(i).name());
            assertEquals(expected.k(), unet.sites().get(i).channels(), expected.name());
            assertEquals(expected.tokensPerSample(), sites.get(i).rowsPerSample(), expected.name());
            assertEquals(expected.m(), FullPresets.CFG_BATCH * sites.get(i).rowsPerSample(), expected.name());
        }
    }

    @Test
    void compVisNamesFollowTheOfficialLayout() {
        Map<String, String> names = FullUnetKeys.compVisNames(new FullUnet(null, FullSd15Workload.CONFIG));
        assertEquals(686, names.size());
        // spot checks against the key list of v1-5-pruned-emaonly.safetensors
        assertEquals("input_blocks.0.0.weight", names.get("conv_in.weight"));
        assertEquals("time_embed.2.bias", names.get("time_embedding.linear_2.bias"));
        assertEquals("input_blocks.4.0.skip_connection.weight", names.get("down_blocks.1.resnets.0.conv_shortcut.weight"));
        assertEquals("input_blocks.8.1.transformer_blocks.0.attn2.to_k.weight",
                names.get("down_blocks.2.attentions.1.transformer_blocks.0.attn2.to_k.weight"));
        assertEquals("input_blocks.9.0.op.bias", names.get("down_blocks.2.downsamplers.0.conv.bias"));
        assertEquals("input_blocks.11.0.out_layers.3.weight", names.get("down_blocks.3.resnets.1.conv2.weight"));
        assertEquals("middle_block.1.proj_out.weight", names.get("mid_block.attentions.0.proj_out.weight"));
        assertEquals("middle_block.2.emb_layers.1.weight", names.get("mid_block.resnets.1.time_emb_proj.weight"));
        assertEquals("output_blocks.2.1.conv.weight", names.get("up_blocks.0.upsamplers.0.conv.weight"));
        assertEquals("output_blocks.5.2.conv.bias", names.get("up_blocks.1.upsamplers.0.conv.bias"));
        assertEquals("output_blocks.8.2.conv.weight", names.get("up_blocks.2.upsamplers.0.conv.weight"));
        assertEquals("output_blocks.11.1.transformer_blocks.0.ff.net.2.weight",
                names.get("up_blocks.3.attentions.2.transformer_blocks.0.ff.net.2.weight"));
        assertEquals("out.2.bias", names.get("conv_out.bias"));
    }

    @Test
    void forwardMatchesNumpyFromBothKeyLayouts() {
        Path in = fixture("inputs.npz");
        Path exp = fixture("expected.npz");
        float[] expected = floats(exp, "eps");
        try (NDManager m = Torch.manager()) {
            float[][] outs = new float[2][];
            String[] files = {"unet_diffusers.safetensors", "unet_compvis.ckpt"};
            for (int f = 0; f < 2; f++) {
                FullUnet unet = FullSd15Workload.loaded(m, SMALL, fixture(files[f]), "sd15");
                List<float[]> gates = new ArrayList<>();
                List<Integer> rows = new ArrayList<>();
                GeluTap tap = GeluTap.observing((site, data, r) -> {
                    gates.add(data.clone());
                    rows.add(r);
                });
                outs[f] = unet.forward(array(m, in, "x"), array(m, in, "t"), array(m, in, "context"), tap).toFloatArray();
                assertTrue(relError(outs[f], expected) < 1e-4, files[f] + ": rel error " + relError(outs[f], expected));
                assertEquals(unet.sites().size(), gates.size());
                for (int i = 0; i < gates.size(); i++) {
                    assertTrue(relError(gates.get(i), floats(exp, "gate" + i)) < 1e-4, "site " + i);
                    assertEquals(2 * FullSd15Workload.rowsPerSample(SMALL, unet.sites().get(i).name(), 8, 8), (long) rows.get(i));
                }
                unet.close();
            }
            assertArrayEquals(outs[0], outs[1], "same weights under CompVis and diffusers names");
        }
    }

    @Test
    void theGuidedContextOfSampleIHoldsPromptRowIModN() {
        try (NDManager m = Torch.manager()) {
            float[][] text = {{1, 2}, {3, 4}};
            float[][] uncond = {{5, 6}};
            // sample 3 alone (1 token of width 2): prompt row 1, then the negative prompt
            assertArrayEquals(new float[] {3, 4, 5, 6}, FullSd15Workload.cfgContext(m, new FullConditions.CfgPair(text, uncond), 3, 1, 1, 2).toFloatArray());
            // AudioLDM's class condition of sample 3: the same rows, each L2-normalized
            float[] cls = FullAudioLdmWorkload.cfgClassCond(m, new FullConditions.CfgPair(text, uncond), 3, 1).toFloatArray();
            assertArrayEquals(new float[] {0.6f, 0.8f, (float) (5 / Math.sqrt(61)), (float) (6 / Math.sqrt(61))}, cls, 1e-6f);
        }
    }

    @Test
    void twoGuidedDdimStepsMatchNumpy() {
        Path in = fixture("inputs.npz");
        try (NDManager m = Torch.manager(); FullUnet unet = FullSd15Workload.loaded(m, SMALL, fixture("unet_diffusers.safetensors"), "sd15")) {
            float[][] text = {floats(in, "text")};
            float[][] uncond = {floats(in, "uncond")};
            NDArray context = FullSd15Workload.cfgContext(m, new FullConditions.CfgPair(text, uncond), 0, 1, 4, 8);
            NoiseSchedule s = FullSd15Workload.schedule();
            List<Integer> timesteps = new ArrayList<>();
            StepListener l = (step, steps, t) -> timesteps.add(t);
            float[] x = FullSd15Workload.sampleCfg(s, s.alphaBars()[0], m, array(m, in, "xT"), (rows, t) -> unet.forward(rows, t, context, null),
                    2, 7.5, l).toFloatArray();
            assertEquals(List.of(501, 1), timesteps);
            float[] expected = floats(fixture("expected.npz"), "sample2");
            assertTrue(relError(x, expected) < 1e-4, "rel error " + relError(x, expected));
        }
    }

    @Test
    void attentionInBatchSlicesEqualsOneCall() {
        try (NDManager m = Torch.manager()) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            NDArray[] qkv = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                float[] v = new float[5 * 6 * 8];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) rng.nextGaussian();
                }
                qkv[i] = m.create(v, new Shape(5, 6, 8));
            }
            float[] whole = org.colsparse.runtime.Nn.attention(qkv[0], qkv[1], qkv[2], 2).toFloatArray();
            // 2 heads x 6 x 6 scores per entry: a limit of 150 runs 2 entries at a time (3 slices)
            float[] sliced = org.colsparse.runtime.Attention.attention(qkv[0], qkv[1], qkv[2], 2, 150).toFloatArray();
            assertArrayEquals(whole, sliced);
        }
    }

    @Test
    void sd15ScheduleAndSpacing() {
        NoiseSchedule s = FullSd15Workload.schedule();
        assertEquals(0.00085, s.betas()[0], 1e-15);
        assertEquals(0.012, s.betas()[999], 1e-15);
        int[] ts = s.leading(50, 1).timesteps();
        assertEquals(50, ts.length);
        assertEquals(1, ts[0]);
        assertEquals(21, ts[1]);
        assertEquals(981, ts[49]);
        // 1000 / 30 = 33: 1, 34, ..., 958 (diffusers' leading spacing with steps_offset 1)
        assertEquals(958, s.leading(30, 1).timesteps()[29]);
    }

    @Test
    void missingAndMisShapedKeysAreNamed(@TempDir Path dir) {
        Map<String, long[]> spec = new FullUnet(null, SMALL).params().spec();
        Path diffusers = dir.resolve("unet.safetensors");
        FullFixtures.zeros(spec, "", "mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight", "conv_out.bias").write(diffusers, false);
        // a CompVis file: a stray key inside the UNet is reported, the VAE/text encoder/schedule are not
        SafetensorsWriter cv = new SafetensorsWriter();
        FullUnetKeys.compVisNames(new FullUnet(null, SMALL)).forEach((d, c) -> {
            long[] shape = spec.get(d);
            cv.put(FullUnetKeys.COMPVIS_UNET + c, new float[Math.toIntExact(new Shape(shape).size())], shape);
        });
        cv.put("first_stage_model.encoder.conv_in.weight", new float[2], 2).put("cond_stage_model.transformer.x", new float[2], 2)
                .put("alphas_cumprod", new float[10], 10);
        Path compVis = dir.resolve("v1-5-pruned-emaonly.safetensors");
        cv.write(compVis, false);
        Path stray = dir.resolve("stray.safetensors");
        cv.put("model.diffusion_model.input_blocks.99.0.weight", new float[3], 3).write(stray, false);
        try (NDManager m = Torch.manager()) {
            InputException e = assertThrows(InputException.class, () -> FullSd15Workload.loaded(m, SMALL, diffusers, "sd15"));
            assertTrue(e.getMessage().contains("mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("conv_out.bias is [5]"), e.getMessage());
            InputException e2 = assertThrows(InputException.class, () -> FullSd15Workload.loaded(m, SMALL, stray, "sd15"));
            assertTrue(e2.getMessage().contains("1 unexpected key(s) [model.diffusion_model.input_blocks.99.0.weight]"), e2.getMessage());
            assertTrue(e2.getMessage().startsWith(stray + " (CompVis keys, named here as diffusers names them): "), e2.getMessage());
            FullSd15Workload.loaded(m, SMALL, compVis, "sd15").close();
        }
    }

    @Test
    void conditionsAreRequiredAndChecked(@TempDir Path dir) {
        Workload w = Catalog.runtime("sd15", Preset.full);
        assertEquals(List.of("text", "uncond"), w.conditions().stream().map(c -> c.name()).toList());
        try (NDManager m = Torch.manager()) {
            InputException none = assertThrows(InputException.class, () -> w.load(m, null, Map.of()));
            assertTrue(none.getMessage().contains("v1-5-pruned-emaonly"), none.getMessage());
            Path ckpt = fixture("unet_diffusers.safetensors");
            Path bad = dir.resolve("bad.npy");
            try (NpyWriter npy = NpyWriter.create(bad, DType.F32, new long[] {77, 512})) {
                npy.writeFloats(new float[77 * 512], 0, 77 * 512);
                npy.commit();
            }
            InputException wrong = assertThrows(InputException.class, () -> w.load(m, ckpt, Map.of("text", bad, "uncond", bad)));
            assertTrue(wrong.getMessage().startsWith("--cond text: ") && wrong.getMessage().contains("[77, 512]"), wrong.getMessage());
            Path good = dir.resolve("good.npy");
            try (NpyWriter npy = NpyWriter.create(good, DType.F32, new long[] {77, 768})) {
                float[] v = new float[77 * 768];
                v[5] = Float.NaN;
                npy.writeFloats(v, 0, v.length);
                npy.commit();
            }
            InputException nan = assertThrows(InputException.class, () -> w.load(m, ckpt, Map.of("text", good)));
            assertTrue(nan.getMessage().startsWith("--cond text: ") && nan.getMessage().contains("NaN"), nan.getMessage());
            Path rows = dir.resolve("rows.npy");
            NpyWriter.write(rows, new long[] {2, 77, 768}, new float[2 * 77 * 768]);
            InputException noUncond = assertThrows(InputException.class, () -> w.load(m, ckpt, Map.of("text", rows)));
            assertEquals("--cond uncond: required by the full-size sd15 (see 'colsparse workloads --preset full')", noUncond.getMessage());
            InputException unknown = assertThrows(InputException.class, () -> w.load(m, ckpt, Map.of("text", rows, "negative", rows)));
            assertEquals("--cond negative: sd15 takes only --cond text=FILE and --cond uncond=FILE", unknown.getMessage());
        }
    }
}
