"""Reference fixtures for FullMldTest: a reduced MLD denoiser with the official key names inside a Lightning-style
checkpoint, and the outputs of an independent NumPy (float64) implementation.

    cd colsparse-models/src/test/resources/full/mld && python3 make_fixtures.py

Written from the official source (ChenFengYe/motion-latent-diffusion): mld/models/architectures/mld_denoiser.py
(MldDenoiser, trans_enc + SKIP_CONNECT + DIFF_PE_TYPE mld), mld/models/operator/cross_attention.py
(SkipTransformerEncoder, TransformerEncoderLayer post-norm), mld/models/operator/position_encoding.py
(PositionEmbeddingLearned1D), mld/models/architectures/tools/embeddings.py (get_timestep_embedding,
TimestepEmbedding), mld/models/modeltype/mld.py (_diffusion_reverse: [uncond; cond] batch, guidance), and
configs/modules/scheduler.yaml (diffusers DDIMScheduler: scaled_linear, set_alpha_to_one false, steps_offset 1,
eta 0). The module runs sequence-first (S, B, d) here, as the official code does. numpy only; the checkpoint
is pickled by hand with torch's global names by ../fixture_io.py.
"""
import collections
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from fixture_io import save_pt

os.chdir(os.path.dirname(os.path.abspath(__file__)))   # the files go next to this script

# reduced MLD denoiser: latent 32, ff 128 (4x), 4 heads, 5 layers (2 in, middle, 2 out), text features 24; the
# position tables have PositionEmbeddingLearned1D's max_len 500 rows, as in every MLD file (build_position_encoding)
D, FF, HEADS, LAYERS, TEXT, POS = 32, 128, 4, 5, 24, 500
HALF = (LAYERS - 1) // 2
rng = np.random.default_rng(20261127)


def w(*shape, scale=None):
    fan_in = shape[-1] if len(shape) > 1 else 1
    s = scale if scale is not None else 1 / math.sqrt(fan_in)
    return (rng.standard_normal(shape) * s).astype(np.float32)


sd = collections.OrderedDict()
sd['denoiser.time_embedding.linear_1.weight'] = w(D, TEXT)
sd['denoiser.time_embedding.linear_1.bias'] = w(D, scale=0.1)
sd['denoiser.time_embedding.linear_2.weight'] = w(D, D)
sd['denoiser.time_embedding.linear_2.bias'] = w(D, scale=0.1)
sd['denoiser.emb_proj.1.weight'] = w(D, TEXT)
sd['denoiser.emb_proj.1.bias'] = w(D, scale=0.1)
sd['denoiser.query_pos.pe'] = w(POS, 1, D, scale=0.5)
sd['denoiser.mem_pos.pe'] = w(POS, 1, D, scale=0.5)


def layer(prefix):
    sd[prefix + 'self_attn.in_proj_weight'] = w(3 * D, D)
    sd[prefix + 'self_attn.in_proj_bias'] = w(3 * D, scale=0.1)
    sd[prefix + 'self_attn.out_proj.weight'] = w(D, D)
    sd[prefix + 'self_attn.out_proj.bias'] = w(D, scale=0.1)
    sd[prefix + 'linear1.weight'] = w(FF, D)
    sd[prefix + 'linear1.bias'] = w(FF, scale=0.1)
    sd[prefix + 'linear2.weight'] = w(D, FF)
    sd[prefix + 'linear2.bias'] = w(D, scale=0.1)
    for n in ('norm1', 'norm2'):
        sd[prefix + n + '.weight'] = (1 + w(D, scale=0.1)).astype(np.float32)
        sd[prefix + n + '.bias'] = w(D, scale=0.1)


for i in range(HALF):
    layer(f'denoiser.encoder.input_blocks.{i}.')
layer('denoiser.encoder.middle_block.')
for i in range(HALF):
    layer(f'denoiser.encoder.output_blocks.{i}.')
    sd[f'denoiser.encoder.linear_blocks.{i}.weight'] = w(D, 2 * D)
    sd[f'denoiser.encoder.linear_blocks.{i}.bias'] = w(D, scale=0.1)
sd['denoiser.encoder.norm.weight'] = (1 + w(D, scale=0.1)).astype(np.float32)
sd['denoiser.encoder.norm.bias'] = w(D, scale=0.1)
W = {k: v.astype(np.float64) for k, v in sd.items()}


# ---------------------------------------------------------------- the denoiser, float64, sequence-first
def linear(x, name):
    return x @ W[name + '.weight'].T + W[name + '.bias']


def layer_norm(x, name, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * W[name + '.weight'] + W[name + '.bias']


erf = np.vectorize(math.erf)


def gelu(x):  # F.gelu, exact
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def mha(x, prefix):  # nn.MultiheadAttention(d, heads), query = key = value = x of (S, B, d)
    s, b, d = x.shape
    hd = d // HEADS
    wi, bi = W[prefix + 'in_proj_weight'], W[prefix + 'in_proj_bias']
    q = x @ wi[:d].T + bi[:d]
    k = x @ wi[d:2 * d].T + bi[d:2 * d]
    v = x @ wi[2 * d:].T + bi[2 * d:]
    # (S, B, d) -> (B * heads, S, hd), as multi_head_attention_forward views them
    q, k, v = (a.reshape(s, b * HEADS, hd).transpose(1, 0, 2) for a in (q, k, v))
    a = (q / math.sqrt(hd)) @ k.transpose(0, 2, 1)
    a = np.exp(a - a.max(-1, keepdims=True))
    a = a / a.sum(-1, keepdims=True)
    o = (a @ v).transpose(1, 0, 2).reshape(s, b, d)
    return linear(o, prefix + 'out_proj')


def encoder_layer(x, p):  # TransformerEncoderLayer.forward_post, dropout off
    x = layer_norm(x + mha(x, p + 'self_attn.'), p + 'norm1')
    return layer_norm(x + linear(gelu(linear(x, p + 'linear1')), p + 'linear2'), p + 'norm2')


def timestep_embedding(t, dim):  # flip_sin_to_cos=True, downscale_freq_shift=0
    half = dim // 2
    e = np.exp(-math.log(10000) * np.arange(half) / (half - 0))
    e = t[:, None].astype(np.float64) * e[None]
    e = np.concatenate([np.sin(e), np.cos(e)], -1)
    return np.concatenate([e[:, half:], e[:, :half]], -1)


def denoiser(sample, t, text):  # sample (B, 1, D), t (B,), text (B, 1, TEXT) -> (B, 1, D)
    sample = sample.transpose(1, 0, 2)
    temb = linear(timestep_embedding(t, TEXT), 'denoiser.time_embedding.linear_1')
    temb = linear(temb / (1 + np.exp(-temb)), 'denoiser.time_embedding.linear_2')[None]
    text_lat = linear(np.maximum(text.transpose(1, 0, 2), 0), 'denoiser.emb_proj.1')
    xseq = np.concatenate([sample, np.concatenate([temb, text_lat], 0)], 0)
    xseq = xseq + W['denoiser.query_pos.pe'][:xseq.shape[0]]
    x, xs = xseq, []
    for i in range(HALF):
        x = encoder_layer(x, f'denoiser.encoder.input_blocks.{i}.')
        xs.append(x)
    x = encoder_layer(x, 'denoiser.encoder.middle_block.')
    for i in range(HALF):
        x = linear(np.concatenate([x, xs.pop()], -1), f'denoiser.encoder.linear_blocks.{i}')
        x = encoder_layer(x, f'denoiser.encoder.output_blocks.{i}.')
    x = layer_norm(x, 'denoiser.encoder.norm')
    return x[:sample.shape[0]].transpose(1, 0, 2)


# ---------------------------------------------------------------- diffusers DDIMScheduler, float32 schedule
betas = np.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=np.float32) ** 2
acp = np.cumprod(1.0 - betas, dtype=np.float32)
final_acp = acp[0]                                      # set_alpha_to_one=False


def timesteps(n):
    ratio = 1000 // n
    return (np.arange(0, n) * ratio).round()[::-1].astype(np.int64) + 1     # steps_offset=1


def ddim_step(eps, t, x, n):
    prev = t - 1000 // n
    a_t = float(acp[t])
    a_prev = float(acp[prev]) if prev >= 0 else float(final_acp)
    x0 = (x - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
    return a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps


ref = {}
x = rng.standard_normal((2, 1, D)).astype(np.float32)
text = rng.standard_normal((2, TEXT)).astype(np.float32)
ref['forward_x'], ref['forward_t'], ref['forward_text'] = x, np.array([981, 1]), text
ref['forward_out'] = denoiser(x.astype(np.float64), ref['forward_t'], text[:, None].astype(np.float64))
for n in (50, 7):
    ref[f'timesteps_{n}'] = timesteps(n)
ref['alphas_cumprod'] = acp

# two guided DDIM steps (50 steps, CFG 7.5), then the last step on its own
xt = rng.standard_normal((1, 1, D)).astype(np.float32)
cond = rng.standard_normal((1, TEXT)).astype(np.float32)
null = rng.standard_normal((TEXT,)).astype(np.float32)
ref['cfg_x'], ref['cfg_text'], ref['cfg_null'] = xt, cond, null
ts = timesteps(50)
xc = xt.astype(np.float64)
for step in range(2):
    t = int(ts[step])
    emb = np.concatenate([null[None, None], cond[:, None]], 0).astype(np.float64)     # [uncond; cond]
    out = denoiser(np.concatenate([xc, xc]), np.array([t, t]), emb)
    uncond, c = out[:1], out[1:]
    eps = uncond + 7.5 * (c - uncond)
    ref[f'cfg_eps_{step}'] = eps
    xc = ddim_step(eps, t, xc, 50)
    ref[f'cfg_x_{step + 1}'] = xc
ref['final_eps'] = rng.standard_normal((1, 1, D)).astype(np.float32)
ref['final_next'] = ddim_step(ref['final_eps'].astype(np.float64), 1, xt.astype(np.float64), 50)
np.savez('expected.npz', **ref)

# ---------------------------------------------------------------- a Lightning-style checkpoint (torch zip, by hand)
state = collections.OrderedDict(sd)
# the other modules of MLD and Lightning's bookkeeping: not the denoiser
state['vae.skel_embedding.weight'] = w(D, 7)
state['text_encoder.text_model.text_model.embeddings.position_ids'] = np.arange(5, dtype=np.float32)[None]
state['t2m_textencoder.output_net.0.weight'] = w(4, 4)
ckpt = {
    'epoch': 2999, 'global_step': 123, 'pytorch-lightning_version': '1.7.7',
    'state_dict': state,
    'optimizer_states': [{'state': {0: {'step': 5, 'exp_avg': w(3), 'exp_avg_sq': w(3)}},
                          'param_groups': [{'lr': 1e-4, 'params': [0]}]}],
    'lr_schedulers': [],
}
save_pt('mld_small.ckpt', ckpt)

print('forward_out[0,0,:4]', ref['forward_out'][0, 0, :4])
print('timesteps_50', ref['timesteps_50'][:3], ref['timesteps_50'][-2:])
print('cfg_x_2[0,0,:4]', ref['cfg_x_2'][0, 0, :4])
print('params', sum(a.size for a in sd.values()))
