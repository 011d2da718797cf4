package org.colsparse.catalog;

import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluSite;
import org.colsparse.workload.Gemm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full presets against docs/workloads.md and against the official configurations. Expected values are
 * derived by hand from the cited config files and model code, never read back from the builders.
 */
class FullPresetsTest {

    /** Sites per distinct tokens-per-sample value. */
    private static Map<Long, Integer> tokenHistogram(FullPreset p) {
        Map<Long, Integer> h = new TreeMap<>();
        for (GeluSite s : p.sites()) {
            h.merge(s.tokensPerSample(), 1, Integer::sum);
        }
        return h;
    }

    @Test
    void siteCountsMatchDesignTable() {
        for (WorkloadDescriptor w : Catalog.fullSize()) {
            FullPreset p = Catalog.shapes(w.id());
            assertEquals(w.fullSize().sitesPerCall(), p.sites().size(), w.id());
        }
        assertEquals(List.of(16, 16, 36, 28, 8, 9, 10),
                Catalog.fullSize().stream().map(w -> w.fullSize().sitesPerCall()).toList());
    }

    @Test
    void sd15TokensPerSite() {
        // 64x64 latent: down 0 (2 transformers) and up 3 (3) at 4096; down 1 + up 2 at 1024;
        // down 2 + up 1 at 256; the mid block at 8x8 = 64.
        assertEquals(Map.of(64L, 1, 256L, 5, 1024L, 5, 4096L, 5), tokenHistogram(Catalog.shapes("sd15")));
    }

    @Test
    void audioldmTokensPerSite() {
        // 256x16 latent, attention at ds 2/4/8: 128x8, 64x4, 32x2; the deepest level holds 2 down,
        // the middle one and 3 up transformers.
        assertEquals(Map.of(64L, 6, 256L, 5, 1024L, 5), tokenHistogram(Catalog.shapes("audioldm")));
    }

    @Test
    void animatediffSitesAreSpatialPlusTemporal() {
        FullPreset p = Catalog.shapes("animatediff");
        long spatial = p.sites().stream().filter(s -> s.name().contains(".attn.")).count();
        long temporal = p.sites().stream().filter(s -> s.name().contains(".motion.")).count();
        assertEquals(16, spatial);
        // v1: 2 per down block x 4 + 3 per up block x 4, none in the middle block
        assertEquals(20, temporal);
        // every site holds 16 frames x spatial tokens per batch entry
        assertEquals(16 * 4096, p.site("down.0.attn.0.ff").tokensPerSample());
        assertEquals(16 * 4096, p.site("down.0.motion.0.ff").tokensPerSample());
        assertEquals(16 * 64, p.site("mid.attn.0.ff").tokensPerSample());
        // temporal attention: a sequence of 16 frames per (batch entry, pixel, head)
        Gemm qk = p.gemm("down.0.motion.0.attn1.qk");
        assertEquals(16, qk.m());
        assertEquals(16, qk.n());
        assertEquals(320 / 8, qk.k());
        assertEquals(2L * 64 * 64 * 8, qk.instances());
    }

    @Test
    void transformerTokensPerSite() {
        assertEquals(Map.of(256L, 28), tokenHistogram(Catalog.shapes("dit")));
        assertEquals(Map.of(121L, 8), tokenHistogram(Catalog.shapes("mdm")));
        assertEquals(Map.of(3L, 9), tokenHistogram(Catalog.shapes("mld")));
        assertEquals(Map.of(150L, 10), tokenHistogram(Catalog.shapes("edge")));
    }

    @Test
    void everySiteHasOneConsumerWithTheDesignExpansion() {
        for (WorkloadDescriptor d : Catalog.fullSize()) {
            FullSize w = d.fullSize();
            FullPreset p = w.preset();
            for (GeluSite s : p.sites()) {
                List<Gemm> consumers = p.gemms().stream().filter(g -> g.consumesSite().equals(s.name())).toList();
                assertEquals(1, consumers.size(), d.id() + " " + s.name());
                Gemm down = consumers.get(0);
                assertEquals(s.m(), down.m(), s.name());
                assertEquals(s.k(), down.k(), s.name());
                assertEquals(s.m(), s.tokensPerSample() * w.cfgBatch(), s.name());
                // expansion = inner width / model width; the down-projection maps back to model width
                assertEquals(w.expansion(), s.k() / down.n(), d.id() + " " + s.name());
                assertEquals(0, s.k() % down.n());
            }
        }
    }

    @Test
    void gegluUpProjectionIsTwiceTheInnerWidth() {
        for (String id : List.of("sd15", "audioldm", "animatediff")) {
            FullPreset p = Catalog.shapes(id);
            for (GeluSite s : p.sites()) {
                Gemm up = p.gemm(s.name() + ".proj");
                assertEquals(2 * s.k(), up.n(), id + " " + s.name());
                assertEquals(s.m(), up.m());
            }
        }
        // plain GELU FFNs: the up-projection is the inner width itself
        assertEquals(4608, Catalog.shapes("dit").gemm("block.0.mlp.fc1").n());
        assertEquals(1024, Catalog.shapes("mdm").gemm("layer.0.linear1").n());
        assertEquals(1024, Catalog.shapes("mld").gemm("middle.linear1").n());
        assertEquals(1024, Catalog.shapes("edge").gemm("decoder.7.linear1").n());
    }

    @Test
    void sd15SpotGemms() {
        FullPreset p = Catalog.shapes("sd15");
        // First down block FFN down-projection: CFG batch 2 x 64x64 tokens, 4 x 320 inner -> 320.
        Gemm down = p.gemm("down.0.attn.0.ff.down");
        assertEquals(2 * 4096, down.m());
        assertEquals(1280, down.k());
        assertEquals(320, down.n());
        assertEquals("down.0.attn.0.ff", down.consumesSite());
        // conv_in as im2col: 2 x 64 x 64 output pixels, 4 channels x 3 x 3, 320 filters
        Gemm convIn = p.gemm("conv_in");
        assertEquals(2 * 64 * 64, convIn.m());
        assertEquals(4 * 9, convIn.k());
        assertEquals(320, convIn.n());
        // stride-2 downsample of the first level: 32x32 outputs
        Gemm ds = p.gemm("down.0.downsample");
        assertEquals(2 * 32 * 32, ds.m());
        assertEquals(320 * 9, ds.k());
        // self-attention scores: 8 heads of width 40, per batch entry
        Gemm qk = p.gemm("down.0.attn.0.attn1.qk");
        assertEquals(4096, qk.m());
        assertEquals(4096, qk.n());
        assertEquals(40, qk.k());
        assertEquals(16, qk.instances());
        // cross-attention keys: 77 CLIP tokens of width 768 per batch entry
        Gemm toK = p.gemm("down.0.attn.0.attn2.to_k");
        assertEquals(2 * 77, toK.m());
        assertEquals(768, toK.k());
        assertEquals(320, toK.n());
        assertEquals(77, p.gemm("down.0.attn.0.attn2.qk").n());
        // last up block's first ResBlock reads 640 (from below) + 320 (skip) channels
        Gemm conv1 = p.gemm("up.3.res.0.conv1");
        assertEquals(2 * 4096, conv1.m());
        assertEquals(960 * 9, conv1.k());
        assertEquals(320, conv1.n());
        assertEquals(960, p.gemm("up.3.res.0.conv_shortcut").k());
        // the deepest up block has 3 ResBlocks and no transformer; it ends in an upsample to 16x16
        assertEquals(2 * 16 * 16, p.gemm("up.0.upsample").m());
        assertTrue(p.gemms().stream().noneMatch(g -> g.name().startsWith("up.0.attn")));
        // time embedding MLP: one row per batch entry
        Gemm t = p.gemm("time_embed.linear_1");
        assertEquals(2, t.m());
        assertEquals(320, t.k());
        assertEquals(1280, t.n());
    }

    @Test
    void audioldmSpotGemms() {
        FullPreset p = Catalog.shapes("audioldm");
        Gemm down = p.gemm("down.1.attn.0.ff.down");
        assertEquals(2 * 128 * 8, down.m());
        assertEquals(4 * 256, down.k());
        assertEquals(256, down.n());
        // num_head_channels 32: 256 channels are 8 heads
        Gemm qk = p.gemm("down.1.attn.0.attn1.qk");
        assertEquals(32, qk.k());
        assertEquals(2 * 8, qk.instances());
        // no text context: attn2 is self-attention over the same 1024 tokens
        assertEquals(1024, p.gemm("down.1.attn.0.attn2.qk").n());
        // FiLM concat: every ResBlock's embedding projection reads 2 x 512
        assertEquals(1024, p.gemm("down.0.res.0.time_emb_proj").k());
        assertEquals(512, p.gemm("film_emb").k());
        assertEquals(2 * 256 * 16, p.gemm("conv_in").m());
        assertEquals(8 * 9, p.gemm("conv_in").k());
    }

    @Test
    void transformerSpotGemms() {
        FullPreset dit = Catalog.shapes("dit");
        Gemm fc2 = dit.gemm("block.0.mlp.fc2");
        assertEquals(2 * 256, fc2.m());
        assertEquals(4608, fc2.k());
        assertEquals(1152, fc2.n());
        Gemm ditQk = dit.gemm("block.27.attn.qk");
        assertEquals(2 * 16, ditQk.instances());
        assertEquals(72, ditQk.k());
        Gemm patch = dit.gemm("x_embedder.proj");
        assertEquals(2 * 256, patch.m());
        assertEquals(4 * 2 * 2, patch.k());

        FullPreset mdm = Catalog.shapes("mdm");
        Gemm mdmDown = mdm.gemm("layer.0.linear2");
        assertEquals(2 * 121, mdmDown.m());
        assertEquals(1024, mdmDown.k());
        assertEquals(512, mdmDown.n());
        assertEquals(1536, mdm.gemm("layer.0.self_attn.in_proj").n());
        assertEquals(128, mdm.gemm("layer.0.self_attn.qk").k());
        assertEquals(2 * 120, mdm.gemm("input_process.poseEmbedding").m());
        assertEquals(263, mdm.gemm("input_process.poseEmbedding").k());

        FullPreset mld = Catalog.shapes("mld");
        Gemm mldDown = mld.gemm("middle.linear2");
        assertEquals(6, mldDown.m());
        assertEquals(1024, mldDown.k());
        assertEquals(256, mldDown.n());
        Gemm skip = mld.gemm("output.3.skip_linear");
        assertEquals(512, skip.k());
        assertEquals(256, skip.n());
        assertEquals(3, mld.gemm("input.0.self_attn.qk").n());

        FullPreset edge = Catalog.shapes("edge");
        Gemm cross = edge.gemm("decoder.0.multihead_attn.qk");
        assertEquals(150, cross.m());
        assertEquals(152, cross.n());
        assertEquals(64, cross.k());
        assertEquals(2 * 8, cross.instances());
        assertEquals(2 * 152, edge.gemm("decoder.0.multihead_attn.k_proj").m());
        Gemm music = edge.gemm("cond_projection");
        assertEquals(2 * 150, music.m());
        assertEquals(4800, music.k());
        assertEquals(512, music.n());
        assertEquals("decoder.3.ff", edge.gemm("decoder.3.linear2").consumesSite());
        assertEquals("cond.1.ff", edge.gemm("cond.1.linear2").consumesSite());
    }

    private static void assertWithinPercent(double expected, double actual, double percent, String what) {
        double err = Math.abs(actual - expected) / expected * 100;
        assertTrue(err <= percent, what + ": " + actual + " vs " + expected + " (" + err + " %)");
    }

    @Test
    void publishedParameterCounts() {
        // CompVis/stable-diffusion README: "With its 860M UNet and 123M text encoder".
        assertWithinPercent(860e6, Catalog.shapes("sd15").parameters(), 1, "SD 1.5 UNet");
        // Peebles & Xie, ICCV 2023 (DiT paper), DiT-XL/2: 675M parameters.
        assertWithinPercent(675e6, Catalog.shapes("dit").parameters(), 1, "DiT-XL/2");
        for (WorkloadDescriptor d : Catalog.fullSize()) {
            FullSize w = d.fullSize();
            if (w.hasPublishedParameters()) {
                assertWithinPercent(w.publishedParameters(), w.preset().parameters(), 1, d.id());
            }
        }
    }

    @Test
    void ditParametersByHand() {
        long d = 1152;
        long block = (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + (d * 6 * d + 6 * d);
        long total = 28 * block
                + (4 * 2 * 2 * d + d)                    // patch embedding conv
                + (256 * d + d) + (d * d + d)            // timestep MLP
                + 1001 * d                               // label table with the CFG null class
                + 256 * d                                // pos_embed (frozen, but an nn.Parameter)
                + (d * 2 * d + 2 * d) + (d * 32 + 32);   // final adaLN and linear to 2x2x8
        assertEquals(total, Catalog.shapes("dit").parameters());
        assertEquals(675_129_632L, total);
    }

    /** nn.TransformerEncoderLayer(d, ff): packed in_proj + out_proj, linear1, linear2, 2 LayerNorms. */
    private static long encoderLayer(long d, long ff) {
        return (3 * d * d + 3 * d) + (d * d + d) + (d * ff + ff) + (ff * d + d) + 4 * d;
    }

    @Test
    void mdmParametersByHand() {
        long total = 8 * encoderLayer(512, 1024)
                + 2 * (512 * 512 + 512)     // timestep MLP
                + (512 * 512 + 512)         // embed_text from CLIP ViT-B/32's 512
                + (263 * 512 + 512)         // poseEmbedding
                + (512 * 263 + 263);        // poseFinal
        assertEquals(total, Catalog.shapes("mdm").parameters());
    }

    @Test
    void mldParametersByHand() {
        long total = 9 * encoderLayer(256, 1024)
                + 4 * (512 * 256 + 256)                 // skip linears of the 4 output blocks
                + 2 * 256                               // final LayerNorm
                + (768 * 256 + 256) + (256 * 256 + 256) // TimestepEmbedding(768, 256)
                + (768 * 256 + 256)                     // emb_proj
                + 2 * 500 * 256;                        // query_pos and mem_pos tables
        assertEquals(total, Catalog.shapes("mld").parameters());
    }

    @Test
    void edgeParametersByHand() {
        long d = 512;
        long mha = 4 * d * d + 4 * d;
        long ffn = (d * 1024 + 1024) + (1024 * d + d);
        long film = d * 2 * d + 2 * d;
        long decoder = 2 * mha + ffn + 3 * 2 * d + 3 * film;
        long encoder = mha + ffn + 2 * 2 * d;
        long total = 8 * decoder + 2 * encoder
                + (151 * d + d) + (4800 * d + d)                          // input and music projections
                + (d * 4 * d + 4 * d) + (4 * d * d + d) + (4 * d * 2 * d + 2 * d) // time MLP, FiLM vector, 2 time tokens
                + 150 * d + d                                             // null condition embeddings
                + 2 * d + (d * d + d) * 2                                 // non_attn_cond_projection
                + 2 * d                                                   // norm_cond
                + (d * 151 + 151);                                        // final_layer
        assertEquals(total, Catalog.shapes("edge").parameters());
    }

    /** openaimodel ResBlock: GN, 3x3 conv, emb Linear, GN, 3x3 conv, 1x1 skip when widths differ. */
    private static long resBlock(long in, long out, long emb) {
        return 2 * in + (in * 9 * out + out) + (emb * out + out) + 2 * out + (out * 9 * out + out)
                + (in == out ? 0 : in * out + out);
    }

    /** SpatialTransformer, depth 1, GEGLU x4; {@code ctx} = 0 when attn2 is a self-attention. */
    private static long transformer(long c, long ctx) {
        long kv = ctx == 0 ? c : ctx;
        return 2 * c + (c * c + c)                      // GN, proj_in
                + 3 * 2 * c                             // 3 LayerNorms
                + (4 * c * c + c)                       // attn1
                + (2 * c * c + 2 * kv * c + c)          // attn2
                + (c * 8 * c + 8 * c) + (4 * c * c + c) // GEGLU proj and down
                + (c * c + c);                          // proj_out
    }

    @Test
    void audioldmParametersByHand() {
        long e = 1024; // time 512 concatenated with the FiLM'd CLAP 512
        long res = resBlock(128, 128, e) * 2 + resBlock(128, 256, e) + resBlock(256, 256, e)
                + resBlock(256, 384, e) + resBlock(384, 384, e) + resBlock(384, 640, e) + resBlock(640, 640, e)
                + resBlock(640, 640, e) * 2
                + resBlock(1280, 640, e) * 2 + resBlock(1024, 640, e)
                + resBlock(1024, 384, e) + resBlock(768, 384, e) + resBlock(640, 384, e)
                + resBlock(640, 256, e) + resBlock(512, 256, e) + resBlock(384, 256, e)
                + resBlock(384, 128, e) + resBlock(256, 128, e) * 2;
        long attn = 5 * transformer(256, 0) + 5 * transformer(384, 0) + 6 * transformer(640, 0);
        long convs = (8 * 9 * 128 + 128)
                + (128 * 9 * 128 + 128) + (256 * 9 * 256 + 256) + (384 * 9 * 384 + 384) // downsamples of levels 0-2
                + (640 * 9 * 640 + 640) + (384 * 9 * 384 + 384) + (256 * 9 * 256 + 256) // upsamples of levels 3-1
                + 2 * 128 + (128 * 9 * 8 + 8);                 // out norm + conv
        long emb = (128 * 512 + 512) + (512 * 512 + 512) + (512 * 512 + 512);
        assertEquals(res + attn + convs + emb, Catalog.shapes("audioldm").parameters());
    }

    @Test
    void animatediffIsSd15PlusTwentyMotionModules() {
        // VanillaTemporalModule: GN, proj_in, 2 x (LN + attention without q/k/v bias), LN + GEGLU, proj_out.
        java.util.function.LongUnaryOperator module = c -> 2 * c + (c * c + c) + 2 * (2 * c + 4 * c * c + c)
                + 2 * c + (c * 8 * c + 8 * c) + (4 * c * c + c) + (c * c + c);
        long motion = 2 * (module.applyAsLong(320) + module.applyAsLong(640) + 2 * module.applyAsLong(1280))
                + 3 * (2 * module.applyAsLong(1280) + module.applyAsLong(640) + module.applyAsLong(320));
        assertEquals(Catalog.shapes("sd15").parameters() + motion, Catalog.shapes("animatediff").parameters());
    }

    @Test
    void ditMacsMatchPublishedGflops() {
        // facebookresearch/DiT README: XL/2 is 119 Gflops at 256x256 and 525 at 512x512 per image
        // (fvcore's count, one per multiply-accumulate), i.e. one batch entry.
        assertWithinPercent(119e9, FullPresets.dit(256, 1).macs(), 1, "DiT-XL/2 256");
        assertWithinPercent(525e9, FullPresets.dit(512, 1).macs(), 1, "DiT-XL/2 512");
    }

    @Test
    void sizesScaleTheShapes() {
        FullPreset sd768 = FullPresets.sd15(768, 768, 1);
        assertEquals(96 * 96, sd768.site("down.0.attn.0.ff").m());
        FullPreset mdm = FullPresets.mdm(9.8, 2);
        assertEquals(197, mdm.site("layer.0.ff").tokensPerSample());
        FullPreset audio = FullPresets.audioldm(5.0, 2);
        // 5 s: latent 128x16, the first attention level at 64x8
        assertEquals(64 * 8, audio.site("down.1.attn.0.ff").tokensPerSample());
        FullPreset anim = FullPresets.animatediff(8, 256, 256, 2);
        assertEquals(8, anim.gemm("up.3.motion.2.attn2.pv").k());
        assertEquals(8 * 32 * 32, anim.site("up.3.motion.2.ff").tokensPerSample());
        // parameters do not depend on the size (DiT's pos_embed table excepted)
        assertEquals(Catalog.shapes("sd15").parameters(), sd768.parameters());
    }

    @Test
    void badSizesAreInputErrors() {
        assertThrows(InputException.class, () -> FullPresets.sd15(500, 512, 2));
        assertThrows(InputException.class, () -> FullPresets.mdm(12.0, 2));
        assertThrows(InputException.class, () -> FullPresets.audioldm(3.0, 2));
        assertThrows(InputException.class, () -> FullPresets.animatediff(32, 512, 512, 2));
        assertThrows(InputException.class, () -> FullPresets.dit(200, 2));
    }
}
