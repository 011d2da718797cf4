"""Reference fixture for the full-size AnimateDiff runtime (FullUnet with motion modules), at a reduced config.

An independent float64 NumPy implementation of guoyww/AnimateDiff's UNet3DConditionModel
(animatediff/models/unet.py, unet_blocks.py, resnet.py, attention.py, motion_module.py) at the reduced
SD config of ../sd15/make_fixture.py, with VanillaTemporalModule motion modules after every resnet /
transformer pair of every down and up block:
  v1 (mm_sd_v15.ckpt, configs/inference/inference-v1.yaml): no mid-block module, use_inflated_groupnorm
     false -> the resnets' and conv_norm_out's torch GroupNorm sees (b, c, f, h, w): one video's frames together;
  v2 (mm_sd_v15_v2.ckpt, inference-v2.yaml): a mid-block module, inflated (per-frame) GroupNorm;
  diffusers port (MotionAdapter, e.g. guoyww/animatediff-motion-adapter-v1-5-2, models/unets/unet_motion_model.py):
     per-frame resnet norms, but AnimateDiffTransformer3D's GroupNorm sees (b, c, f, h, w) (frames together)
     and its feed-forward rows are ordered (b h w f).
Transformer2D/3D norms are per frame in both ((b f) c h w), the text context is repeated per frame.
Motion module: GroupNorm(eps 1e-6) per frame, Linear proj_in, per attention block LayerNorm -> + sinusoidal
PE (pe[:, 0::2] = sin, pe[:, 1::2] = cos, div 10000^(2i/d)) -> temporal self-attention over the f frames
of each pixel, GEGLU FF, Linear proj_out, residual. Sampler: DDIMScheduler(beta_schedule "linear" 0.00085..0.012,
steps_offset 1, clip_sample False, set_alpha_to_one default True) as scripts/animate.py builds it, guidance 8.

Reduced config: block_out_channels (8, 16), attention (True, False), layers_per_block 1, 2 heads,
GroupNorm 4 groups, cross_attention_dim 8, context 4 tokens, 4 frames of 4 x 8 x 8 latents, motion heads 2.

Writes: unet.safetensors (float16, diffusers SD keys), mm_v1.ckpt (torch zip, flat dict of motion
module tensors incl. the pos_encoder.pe buffers, as the official files hold them), mm_v2.ckpt (the same
plus the mid-block module, nested under "state_dict"), mm_diffusers.safetensors (the v2 weights under
MotionAdapter names, float16, its pos_embed.pe buffers float32), inputs.npz, expected.npz.
The SD UNet blocks and the guided DDIM loop are ../numpy_ref.py's (shared with ../sd15 and ../audioldm);
the motion modules and the v1/v2/diffusers GroupNorm variants are this script's; files written with ../fixture_io.py.
Run: python3 make_fixture.py from any directory (numpy only; no torch); the files go next to this script.
"""
import collections, math, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from numpy_ref import Params, UNet, attention, ddim_cfg, f16, f32, gelu, group_norm, layer_norm, linear
from fixture_io import save_pt, write_safetensors

rng = np.random.default_rng(20261126)
CH = (8, 16)
ATTN = (True, False)
LAYERS = 1
HEADS = 2
GROUPS = 4
CTX_DIM = 8
CTX_TOKENS = 4
IN_CH = 4
FRAMES = 4
MHEADS = 2
PE_LEN = 24       # temporal_position_encoding_max_len of v1
VERSION = {'joint': True, 'mid': False, 'diffusers': False}   # v1; main() also builds v2 and the diffusers port

P = Params(rng)   # diffusers name -> float64 array (values exact in float16)


def video_norm(x, g, b, eps):
    """GroupNorm of (b f) images: per frame, or (AnimateDiff v1) over each video's frames together."""
    if not VERSION['joint']:
        return group_norm(x, g, b, eps, GROUPS)
    n, c, h, w = x.shape
    v = x.reshape(n // FRAMES, FRAMES, c, h, w).transpose(0, 2, 1, 3, 4)
    return group_norm(v, g, b, eps, GROUPS).transpose(0, 2, 1, 3, 4).reshape(x.shape)


PE = {}   # motion module prefix -> its pos_encoder.pe buffers (not parameters)


def sinusoid(length, d):
    pe = np.zeros((length, d))
    for pos in range(length):
        for i in range(0, d, 2):
            pe[pos, i] = math.sin(pos * math.exp(i * -math.log(10000.0) / d))
            pe[pos, i + 1] = math.cos(pos * math.exp(i * -math.log(10000.0) / d))
    return pe


class Motion:
    def __init__(self, prefix, c):
        self.p, self.c = prefix + '.temporal_transformer', c
        p = self.p
        P.norm(p + '.norm', c)
        P.lin(p + '.proj_in', c, c)
        b = p + '.transformer_blocks.0'
        for i in range(2):
            a = f'{b}.attention_blocks.{i}'
            for w in ('to_q', 'to_k', 'to_v'):
                P.lin(a + '.' + w, c, c, bias=False)
            P.lin(a + '.to_out.0', c, c)
            PE[a + '.pos_encoder.pe'] = sinusoid(PE_LEN, c)[None]
        for i in range(2):
            P.norm(f'{b}.norms.{i}', c)
        P.lin(b + '.ff.net.0.proj', 8 * c, c)
        P.lin(b + '.ff.net.2', c, 4 * c)
        P.norm(b + '.ff_norm', c)
        P.lin(p + '.proj_out', c, c)

    def __call__(self, x):
        p, c = self.p, self.c
        n, _, h, w = x.shape
        v = n // FRAMES
        if VERSION['diffusers']:
            # diffusers AnimateDiffTransformer3D: GroupNorm on (b, c, f, h, w), each video's frames together
            vv = x.reshape(v, FRAMES, c, h, w).transpose(0, 2, 1, 3, 4)
            t = group_norm(vv, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6, GROUPS).transpose(0, 2, 1, 3, 4).reshape(x.shape)
        else:
            t = group_norm(x, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6, GROUPS)      # after "b c f h w -> (b f) c h w"
        t = linear(t.transpose(0, 2, 3, 1).reshape(n, h * w, c), P, p + '.proj_in')
        b = p + '.transformer_blocks.0'
        pe = sinusoid(FRAMES, c)
        for i in range(2):
            nh = layer_norm(t, P[f'{b}.norms.{i}.weight'], P[f'{b}.norms.{i}.bias'])
            nh = nh.reshape(v, FRAMES, h * w, c).transpose(0, 2, 1, 3).reshape(v * h * w, FRAMES, c) + pe   # (b f) d c -> (b d) f c
            a = attention(nh, nh, P, f'{b}.attention_blocks.{i}', MHEADS)
            t = a.reshape(v, h * w, FRAMES, c).transpose(0, 2, 1, 3).reshape(n, h * w, c) + t
        hs = linear(layer_norm(t, P[b + '.ff_norm.weight'], P[b + '.ff_norm.bias']), P, b + '.ff.net.0.proj')
        g = gelu(hs[..., 4 * c:])
        # the FF GEMM's rows: (b f h w) in the original ("(b f) d c"), (b h w f) in diffusers' "(b h w) f c" layout
        unet.gates.append(g.reshape(v, FRAMES, h * w, -1).transpose(0, 2, 1, 3) if VERSION['diffusers'] else g)
        t = linear(hs[..., :4 * c] * g, P, b + '.ff.net.2') + t
        t = linear(t, P, p + '.proj_out').reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return t + x


def motion(prefix, c):
    """A motion module after every resnet/transformer pair; the mid-block's (its weights go to mm_v2.ckpt alone) runs in v2 only."""
    m = Motion(prefix, c)
    return (lambda h: m(h) if VERSION['mid'] else h) if prefix.startswith('mid_block') else m


unet = UNet(P, CH, ATTN, LAYERS, HEADS, GROUPS, IN_CH, cross_dim=CTX_DIM, resnet_norm=video_norm, motion=motion)

# ---- DDIM as scripts/animate.py configures it: beta_schedule "linear" (not SD's scaled_linear), steps_offset 1,
# set_alpha_to_one left at DDIMScheduler's default True; guidance 8 (configs/prompts) ----
betas = np.linspace(0.00085, 0.012, 1000)
alphas_cumprod = np.cumprod(1 - betas)


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))   # the files go next to this script
    x = f16(rng.standard_normal((2 * FRAMES, IN_CH, 8, 8)))              # 2 videos of 4 frames
    t = np.repeat([981.0, 1.0], FRAMES)
    ctx = f16(rng.standard_normal((2, CTX_TOKENS, CTX_DIM))).repeat(FRAMES, 0)
    out = {}
    for name, joint, mid, dif in (('v1', True, False, False), ('v2', False, True, False), ('diffusers', False, True, True)):
        VERSION.update(joint=joint, mid=mid, diffusers=dif)
        out['eps_' + name] = f32(unet(x, t, ctx))
        # the first motion-module site (down.0.motion.0.ff): its rows are (b f h w) in the official order
        out[f'gate_{name}_1'] = f32(unet.gates[1])
    VERSION.update(joint=True, mid=False, diffusers=False)
    xT = f16(rng.standard_normal((FRAMES, IN_CH, 8, 8)))
    text = f16(rng.standard_normal((1, CTX_TOKENS, CTX_DIM)))
    uncond = f16(rng.standard_normal((1, CTX_TOKENS, CTX_DIM)))
    # xT: the (b f) frames of one video; text/uncond repeated per frame, conditional video first
    out['sample2_v1'] = f32(ddim_cfg(unet, xT, text.repeat(FRAMES, 0), uncond.repeat(FRAMES, 0), 2, 8.0, alphas_cumprod, 1.0))

    sd = collections.OrderedDict((k, v) for k, v in P.items() if 'motion_modules.' not in k)
    write_safetensors('unet.safetensors', sd, 'F16')
    mm = lambda with_mid: collections.OrderedDict(
        (k, v) for k, v in list(P.items()) + list(PE.items()) if 'motion_modules.' in k and (with_mid or 'mid_block' not in k))
    f32s = lambda d: collections.OrderedDict((k, f32(v)) for k, v in d.items())
    save_pt('mm_v1.ckpt', f32s(mm(False)))                  # v1: the flat dict
    save_pt('mm_v2.ckpt', {'state_dict': f32s(mm(True))})   # v2: nested under "state_dict"
    # the diffusers MotionAdapter names, as scripts/convert_animatediff_motion_module_to_diffusers.py renames them,
    # with the adapter's own persistent sinusoidal buffer: BasicTransformerBlock(positional_embeddings="sinusoidal")
    # has one SinusoidalPositionalEmbedding per block, transformer_blocks.0.pos_embed.pe (1, max_seq_length 32, c), float32
    adapter = collections.OrderedDict()
    for k, v in mm(True).items():
        if k.endswith('.attention_blocks.1.pos_encoder.pe'):
            continue
        if k.endswith('.attention_blocks.0.pos_encoder.pe'):
            k = k.replace('.attention_blocks.0.pos_encoder.pe', '.pos_embed.pe')
            v = sinusoid(32, v.shape[-1])[None]
        adapter[k.replace('.norms.0', '.norm1').replace('.norms.1', '.norm2').replace('.ff_norm', '.norm3')
                .replace('.attention_blocks.0', '.attn1').replace('.attention_blocks.1', '.attn2')
                .replace('.temporal_transformer', '')] = v
    write_safetensors('mm_diffusers.safetensors', adapter, 'F16', f32_keys={k for k in adapter if k.endswith('.pos_embed.pe')})
    np.savez('inputs.npz', x=f32(x), t=f32(t), context=f32(ctx), xT=f32(xT), text=f32(text), uncond=f32(uncond))
    np.savez('expected.npz', **out)
    print('sd params', sum(v.size for v in sd.values()), 'motion params (v2)', sum(v.size for v in mm(True).values()) - sum(v.size for v in PE.values()),
          'eps_v1 |max|', np.abs(out['eps_v1']).max(), 'eps_v2 |max|', np.abs(out['eps_v2']).max(),
          'sample2 |max|', np.abs(out['sample2_v1']).max())
