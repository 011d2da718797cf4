package org.colsparse.workload;

import org.colsparse.util.InputException;

/**
 * MDM, the Human Motion Diffusion Model (Tevet et al., ICLR 2023), text-to-motion on HumanML3D,
 * from the official {@code GuyTevet/motion-diffusion-model}: {@code utils/parser_util.py} defaults
 * {@code --latent_dim 512}, {@code --layers 8}, {@code --arch trans_enc}; {@code model/mdm.py}
 * {@code num_heads=4}, {@code ff_size=1024}, {@code activation="gelu"} in a PyTorch
 * {@code nn.TransformerEncoderLayer} (exact erf GELU, 512 -> 1024, a 2x expansion), CLIP ViT-B/32
 * text feature of 512 ({@code clip_dim}) projected by {@code embed_text}, HumanML3D's 263-dim pose
 * vector ({@code njoints=263, nfeats=1}, {@code poseEmbedding}/{@code poseFinal}), a timestep MLP
 * 512 -> 512 -> 512 on the sinusoidal table (a buffer). The condition token (time + text, summed) is
 * prepended to the frames: a sequence of frames + 1 tokens. HumanML3D runs at 20 fps and
 * {@code --motion_length} defaults to 6.0 s, so 120 frames and 121 tokens.
 * The frozen CLIP text encoder runs once per sample, not per denoiser call, and is excluded.
 */
final class Mdm {
    static final int LATENT = 512;
    static final int LAYERS = 8;
    static final int HEADS = 4;
    static final int FF = 1024;
    static final int POSE_FEATURES = 263;
    static final int CLIP_DIM = 512;
    static final int FPS = 20;

    private Mdm() {
    }

    static FullPreset build(double seconds, int batch) {
        // sample/generate.py: n_frames = min(max_frames, int(args.motion_length*fps))
        long frames = (long) (seconds * FPS);
        if (frames < 1 || frames > 196) {
            // HumanML3D motions are at most 196 frames (9.8 s).
            throw new InputException("MDM motion length must give 1..196 frames at 20 fps: " + seconds + " s");
        }
        long tokens = frames + 1;
        long rows = batch * tokens;
        ShapeBuilder b = new ShapeBuilder();
        b.linear("embed_timestep.time_embed.0", batch, LATENT, LATENT, true);
        b.linear("embed_timestep.time_embed.2", batch, LATENT, LATENT, true);
        b.linear("embed_text", batch, CLIP_DIM, LATENT, true);
        b.linear("input_process.poseEmbedding", batch * frames, POSE_FEATURES, LATENT, true);
        TransformerLayers.encoderLayer(b, "layer", LAYERS, rows, batch, tokens, LATENT, HEADS, FF);
        b.linear("output_process.poseFinal", batch * frames, LATENT, POSE_FEATURES, true);
        return b.build("mdm", "MDM (HumanML3D, trans_enc), " + seconds + " s at 20 fps = " + frames
                + " frames + 1 condition token, batch " + batch);
    }
}
