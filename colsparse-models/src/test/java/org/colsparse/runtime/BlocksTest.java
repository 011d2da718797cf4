package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Every shared block: output shape, and the rows x channels each GELU site hands to the analyzer. */
class BlocksTest {
    private final Map<String, long[]> seen = new LinkedHashMap<>();
    private final GeluTap tap = GeluTap.observing((site, data, rows) -> {
        assertEquals((long) rows * site.channels(), data.length);
        seen.put(site.name(), new long[] {rows, site.channels()});
    });

    private static NDArray randn(NDManager m, long... shape) {
        return m.randomNormal(new Shape(shape));
    }

    @Test
    void resBlockChangesChannelsAndKeepsSize() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            ResBlock rb = new ResBlock(p, "rb", 8, 16, 32, 4, 1e-5f);
            p.initRandom(1);
            assertEquals(new Shape(2, 16, 6, 6), rb.forward(randn(m, 2, 8, 6, 6), randn(m, 2, 32)).getShape());
            assertArrayEquals(new long[] {16, 8, 1, 1}, p.spec().get("rb.conv_shortcut.weight"));
        }
    }

    @Test
    void spatialTransformerWithCrossAttention() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            Sites sites = new Sites();
            SpatialTransformer st = new SpatialTransformer(p, "st", 16, 12, 2, 1, 4, sites, "down.0.ff");
            p.initRandom(2);
            NDArray out = st.forward(randn(m, 2, 16, 4, 5), randn(m, 2, 7, 12), tap);
            assertEquals(new Shape(2, 16, 4, 5), out.getShape());
            // GEGLU gate: 4x expansion, one row per token of the batch
            assertArrayEquals(new long[] {2 * 4 * 5, 64}, seen.get("down.0.ff"));
            assertEquals(SiteRole.GEGLU_GATE, sites.list().get(0).role());
            assertArrayEquals(new long[] {128, 16}, p.spec().get("st.transformer_blocks.0.ff.net.0.proj.weight"));
        }
    }

    @Test
    void temporalTransformerAttendsOverFrames() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            Sites sites = new Sites();
            TemporalTransformer tt = new TemporalTransformer(p, "tt", 8, 2, 4, 2, sites, "motion.0.ff");
            p.initRandom(3);
            // batch 2 videos x 4 frames, 3x3 positions
            assertEquals(new Shape(8, 8, 3, 3), tt.forward(randn(m, 8, 8, 3, 3), tap).getShape());
            assertArrayEquals(new long[] {2 * 3 * 3 * 4, 32}, seen.get("motion.0.ff"));
        }
    }

    @Test
    void ditBlockUsesTanhGeluAndStartsAsIdentityWhenAdaLnIsZero() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            Sites sites = new Sites();
            DitBlock blk = new DitBlock(p, "blocks.0", 16, 2, 4, sites, "blocks.0.mlp");
            p.initRandom(4);
            NDArray x = randn(m, 2, 6, 16);
            NDArray c = randn(m, 2, 16);
            assertEquals(new Shape(2, 6, 16), blk.forward(x, c, tap).getShape());
            assertEquals(GeluForm.TANH, sites.list().get(0).form());
            assertArrayEquals(new long[] {12, 64}, seen.get("blocks.0.mlp"));
            // adaLN-Zero: zero modulation weights make every gate 0, so the block is the identity
            p.set("blocks.0.adaLN_modulation.1.weight", new float[6 * 16 * 16]);
            assertArrayEquals(x.toFloatArray(), blk.forward(x, c, null).toFloatArray());
        }
    }

    @Test
    void encoderLayersPostAndPreNorm() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            Sites sites = new Sites();
            EncoderLayer post = new EncoderLayer(p, "enc.0", 16, 4, 32, false, sites, "enc.0.ffn");
            EncoderLayer pre = new EncoderLayer(p, "enc.1", 16, 4, 32, true, sites, "enc.1.ffn");
            p.initRandom(5);
            NDArray x = randn(m, 3, 5, 16);
            assertEquals(new Shape(3, 5, 16), pre.forward(post.forward(x, tap), tap).getShape());
            assertArrayEquals(new long[] {15, 32}, seen.get("enc.1.ffn"));
            assertArrayEquals(new long[] {48, 16}, p.spec().get("enc.0.self_attn.in_proj_weight"));
        }
    }

    @Test
    void filmDecoderLayerDependsOnTheCondition() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            Sites sites = new Sites();
            FilmDecoderLayer dec = new FilmDecoderLayer(p, "dec.0", 16, 2, 32, 8, sites, "dec.0.ffn");
            p.initRandom(6);
            NDArray x = randn(m, 2, 10, 16);
            NDArray memory = randn(m, 2, 10, 16);
            NDArray a = dec.forward(x, memory, randn(m, 2, 8), tap);
            assertEquals(new Shape(2, 10, 16), a.getShape());
            assertArrayEquals(new long[] {20, 32}, seen.get("dec.0.ffn"));
            assertNotEquals(a.sum().getFloat(), dec.forward(x, memory, randn(m, 2, 8), null).sum().getFloat());
        }
    }

    @Test
    void sinusoidalEmbeddings() {
        try (NDManager m = Torch.manager()) {
            NDArray e = Embeddings.timestep(m.create(new float[] {0, 10}), 8, false, 1, 10000);
            assertEquals(new Shape(2, 8), e.getShape());
            float[] v = e.toFloatArray();
            // t = 10, i = 1 of 4: freq = 10000^(-1/3); sin(10 * 0.0464159) = 0.4399
            assertEquals(Math.sin(10 * Math.pow(10000, -1.0 / 3)), v[8 + 1], 1e-6);
            assertEquals(1, v[4], 0, "cos(0) at t = 0");
            NDArray pe = Embeddings.positional(m, 3, 4);
            assertEquals(Math.cos(2 * 0.01), pe.toFloatArray()[2 * 4 + 3], 1e-7);
        }
    }
}
