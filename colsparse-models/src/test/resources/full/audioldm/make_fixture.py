"""Reference fixture for the full-size AudioLDM runtime (FullUnet with a class embedding, no context), reduced config.

An independent float64 NumPy implementation of diffusers' UNet2DConditionModel as the AudioLDM port
configures it (scripts/convert_original_audioldm_to_diffusers.py create_unet_diffusers_config; cvssp/audioldm-s-full-v2):
DownBlock2D first, CrossAttn blocks where the original has attention_resolutions, class_embed_type
"simple_projection" (class_embedding = Linear(CLAP dim -> time_embed_dim)) with class_embeddings_concat
(resnets read [time_emb, class_emb]), cross_attention_dim = block_out_channels and encoder_hidden_states None,
so each transformer's attn2 attends to its own normed input; attention_head_dim left at diffusers' default 8,
which UNet2DConditionModel uses as the head count. Sampling as pipelines/deprecated/audioldm/pipeline_audioldm.py:
CLAP text embeddings L2-normalized (F.normalize), class_labels = [uncond; text] (here conditional rows first),
guidance 2.5, DDIMScheduler(scaled_linear 0.0015..0.0195, steps_offset 1, set_alpha_to_one False, no clipping).
The CompVis names follow the original haoheliu/AudioLDM openaimodel.UNetModel (film_emb for the class embedding).

Reduced config: block_out_channels (8, 16), down (DownBlock2D, CrossAttnDownBlock2D), layers_per_block 1,
2 heads, GroupNorm 4 groups, CLAP width 6, latent 8 channels x 8 (time) x 4 (mel bins), batch 2.

Writes: unet_diffusers.safetensors (float16), unet_compvis.ckpt (torch zip, float32, Lightning state_dict with
model.diffusion_model.*, a first_stage_model and a cond_stage_model key and schedule buffers), inputs.npz, expected.npz.

Heads: one width (16 channels, 2 heads) cannot tell the two conventions apart, so a second UNet has attention at two
widths, block_out_channels (8, 16) with attention at both: the diffusers port runs attention_head_dim (here 2) heads at every width,
the original haoheliu/AudioLDM openaimodel.UNetModel heads of num_head_channels channels (audioldm/utils.py: 32 at
full size, 4 here), i.e. 2 and 4 heads. Written as two_widths_diffusers.safetensors and two_widths_compvis.ckpt
(the same weights), with the forward pass of each convention in two_widths_expected.npz (inputs x, t, clap of
inputs.npz).
The UNet blocks, the CompVis naming walk and the guided DDIM loop are ../numpy_ref.py's (shared with
../sd15 and ../animatediff); this script fixes AudioLDM's configuration and writes its files with ../fixture_io.py.
Run: python3 make_fixture.py from any directory (numpy only; no torch); the files go next to this script.
"""
import collections, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from numpy_ref import Params, UNet, compvis_names, ddim_cfg, f16, f32
from fixture_io import save_pt, write_safetensors

rng = np.random.default_rng(20261126)
CH = (8, 16)
ATTN = (False, True)
LAYERS = 1
HEADS = 2
GROUPS = 4
CLAP = 6
IN_CH = 8

P = Params(rng)   # diffusers name -> float64 array (values exact in float16)
# class_embedding = Linear(CLAP -> time_embed_dim), concatenated to the time embedding; no cross_attention_dim
unet = UNet(P, CH, ATTN, LAYERS, HEADS, GROUPS, IN_CH, cross_dim=None, class_dim=CLAP)

# ---- DDIM (AudioLDM scheduler_config: scaled_linear 0.0015..0.0195, 1000 steps, steps_offset 1, set_alpha_to_one False) ----
betas = np.linspace(0.0015 ** 0.5, 0.0195 ** 0.5, 1000) ** 2
alphas_cumprod = np.cumprod(1 - betas)


def ddim_cfg_clap(xT, text, uncond, steps, scale=2.5):
    unit = lambda v: v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)   # F.normalize
    return ddim_cfg(lambda x, t, c: unet(x, t, class_labels=c), xT, unit(text), unit(uncond), steps, scale,
                    alphas_cumprod, alphas_cumprod[0])


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))   # the files go next to this script
    x = f16(rng.standard_normal((2, IN_CH, 8, 4)))
    t = np.array([981.0, 1.0])
    ctx = f16(rng.standard_normal((2, CLAP)))
    eps = unet(x, t, class_labels=ctx)
    gates = [g.copy() for g in unet.gates]
    xT = f16(rng.standard_normal((1, IN_CH, 8, 4)))
    text = f16(rng.standard_normal((1, CLAP)))
    uncond = f16(rng.standard_normal((1, CLAP)))
    sample2 = ddim_cfg_clap(xT, text, uncond, 2)

    write_safetensors('unet_diffusers.safetensors', P, 'F16')
    names = compvis_names(unet, extra=(('class_embedding', 'film_emb'),))
    ldm = collections.OrderedDict(('model.diffusion_model.' + names[k], v) for k, v in P.items())
    ldm['first_stage_model.decoder.conv_in.weight'] = f16(rng.standard_normal((2, 2)))
    ldm['cond_stage_model.model.text_branch.embeddings.word_embeddings.weight'] = f16(rng.standard_normal(3))
    ldm['betas'] = betas
    ldm['alphas_cumprod'] = alphas_cumprod
    ldm['scale_factor'] = np.array(1.0)
    save_pt('unet_compvis.ckpt', {'state_dict': collections.OrderedDict((k, f32(v)) for k, v in ldm.items()), 'global_step': 1})
    np.savez('inputs.npz', x=f32(x), t=f32(t), clap=f32(ctx), xT=f32(xT), text=f32(text), uncond=f32(uncond))
    np.savez('expected.npz', eps=f32(eps), sample2=f32(sample2), **{f'gate{i}': f32(g) for i, g in enumerate(gates)})

    # two attention widths, their own weights: the heads of each file's own format
    P2 = Params(np.random.default_rng(20261205))
    CH2, HEAD_CHANNELS = (8, 16), 4
    unet2 = UNet(P2, CH2, (True, True), LAYERS, HEADS, GROUPS, IN_CH, cross_dim=None, class_dim=CLAP)
    eps_diffusers = unet2(x, t, class_labels=ctx)
    unet2.heads = lambda c: c // HEAD_CHANNELS
    eps_original = unet2(x, t, class_labels=ctx)
    write_safetensors('two_widths_diffusers.safetensors', P2, 'F16')
    names2 = compvis_names(unet2, extra=(('class_embedding', 'film_emb'),))
    save_pt('two_widths_compvis.ckpt', {'state_dict': collections.OrderedDict(
        ('model.diffusion_model.' + names2[k], f32(v)) for k, v in P2.items())})
    np.savez('two_widths_expected.npz', eps_diffusers=f32(eps_diffusers), eps_original=f32(eps_original))
    print('two widths: diffusers vs original heads differ by', np.abs(eps_diffusers - eps_original).max(), 'of', np.abs(eps_original).max())
    print('params', sum(v.size for v in P.values()), 'eps |max|', np.abs(eps).max(), 'sample2 |max|', np.abs(sample2).max(),
          'sites', [g.shape for g in gates])
