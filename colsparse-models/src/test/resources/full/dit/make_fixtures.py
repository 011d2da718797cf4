"""Reference fixtures for FullDitTest: a reduced DiT with the official key names, its random weights as a
PyTorch zip checkpoint, and the outputs of an independent NumPy (float64) implementation.

    cd colsparse-models/src/test/resources/full/dit && python3 make_fixtures.py

Written from the official source (facebookresearch/DiT): models.py (DiT, DiTBlock, FinalLayer,
TimestepEmbedder, LabelEmbedder, get_2d_sincos_pos_embed, forward_with_cfg; timm's Attention and Mlp),
diffusion/__init__.py (create_diffusion), diffusion/respace.py (space_timesteps, SpacedDiffusion),
diffusion/gaussian_diffusion.py (get_named_beta_schedule, GaussianDiffusion.p_mean_variance / p_sample with
LEARNED_RANGE). numpy only; the checkpoint is pickled by hand with torch's global names (torch is not needed)
by ../fixture_io.py; silu, the sinusoidal timestep features and the posterior terms are ../numpy_ref.py's.
"""
import collections
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from numpy_ref import posterior, silu, timestep_embedding
from fixture_io import save_pt

os.chdir(os.path.dirname(os.path.abspath(__file__)))   # the files go next to this script

# reduced DiT: input 8x8x4 latent, patch 2 (16 tokens), hidden 48, depth 2, 4 heads, mlp 4, 10 classes, learn_sigma
INPUT, PATCH, CIN, HID, DEPTH, HEADS, MLP, CLASSES = 8, 2, 4, 48, 2, 4, 4, 10
COUT = 2 * CIN
GRID = INPUT // PATCH
T = GRID * GRID
rng = np.random.default_rng(20261126)


# ---------------------------------------------------------------- weights (key names of DiT.state_dict())
def pos_embed_2d(dim, grid):
    # get_2d_sincos_pos_embed: meshgrid(w, h) -> grid[0] varies along w; first half of channels from grid[0]
    gh = np.arange(grid, dtype=np.float32)
    gw = np.arange(grid, dtype=np.float32)
    g = np.stack(np.meshgrid(gw, gh), axis=0).reshape(2, 1, grid, grid)

    def one(d, pos):
        omega = np.arange(d // 2, dtype=np.float64) / (d / 2.)
        omega = 1. / 10000 ** omega
        out = np.einsum('m,d->md', pos.reshape(-1), omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    return np.concatenate([one(dim // 2, g[0]), one(dim // 2, g[1])], axis=1)


def w(*shape, scale=None):
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    s = scale if scale is not None else 1 / math.sqrt(fan_in)
    # stored as float16 in the checkpoint: the reference uses exactly the stored values
    return (rng.standard_normal(shape) * s).astype(np.float16)


sd = collections.OrderedDict()
sd['pos_embed'] = pos_embed_2d(HID, GRID).astype(np.float32)[None]          # float32, as DiT stores it
sd['x_embedder.proj.weight'] = w(HID, CIN, PATCH, PATCH)
sd['x_embedder.proj.bias'] = w(HID, scale=0.1)
sd['t_embedder.mlp.0.weight'] = w(HID, 256)
sd['t_embedder.mlp.0.bias'] = w(HID, scale=0.1)
sd['t_embedder.mlp.2.weight'] = w(HID, HID)
sd['t_embedder.mlp.2.bias'] = w(HID, scale=0.1)
sd['y_embedder.embedding_table.weight'] = w(CLASSES + 1, HID, scale=0.5)
for i in range(DEPTH):
    p = f'blocks.{i}.'
    sd[p + 'attn.qkv.weight'] = w(3 * HID, HID)
    sd[p + 'attn.qkv.bias'] = w(3 * HID, scale=0.1)
    sd[p + 'attn.proj.weight'] = w(HID, HID)
    sd[p + 'attn.proj.bias'] = w(HID, scale=0.1)
    sd[p + 'mlp.fc1.weight'] = w(MLP * HID, HID)
    sd[p + 'mlp.fc1.bias'] = w(MLP * HID, scale=0.1)
    sd[p + 'mlp.fc2.weight'] = w(HID, MLP * HID)
    sd[p + 'mlp.fc2.bias'] = w(HID, scale=0.1)
    # adaLN-Zero starts at zero; a trained model's is not, so the test uses random values
    sd[p + 'adaLN_modulation.1.weight'] = w(6 * HID, HID, scale=0.3 / math.sqrt(HID))
    sd[p + 'adaLN_modulation.1.bias'] = w(6 * HID, scale=0.1)
sd['final_layer.adaLN_modulation.1.weight'] = w(2 * HID, HID, scale=0.3 / math.sqrt(HID))
sd['final_layer.adaLN_modulation.1.bias'] = w(2 * HID, scale=0.1)
sd['final_layer.linear.weight'] = w(PATCH * PATCH * COUT, HID)
sd['final_layer.linear.bias'] = w(PATCH * PATCH * COUT, scale=0.1)
W = {k: v.astype(np.float64) for k, v in sd.items()}


# ---------------------------------------------------------------- the model, float64
def linear(x, name):
    return x @ W[name + '.weight'].T + W[name + '.bias']


def layer_norm(x, eps=1e-6):  # nn.LayerNorm(elementwise_affine=False, eps=1e-6)
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def modulate(x, shift, scale):
    return x * (1 + scale[:, None]) + shift[:, None]


def attention(x, p):  # timm Attention: fused qkv, heads split inside each of q, k, v
    b, n, c = x.shape
    hd = c // HEADS
    qkv = linear(x, p + 'attn.qkv').reshape(b, n, 3, HEADS, hd).transpose(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    a = q @ k.transpose(0, 1, 3, 2) * hd ** -0.5
    a = np.exp(a - a.max(-1, keepdims=True))
    a = a / a.sum(-1, keepdims=True)
    return linear((a @ v).transpose(0, 2, 1, 3).reshape(b, n, c), p + 'attn.proj')


def dit_forward(x, t, y):
    b = x.shape[0]
    # PatchEmbed: conv kernel = stride = patch, flatten(2).transpose(1, 2)
    wconv = W['x_embedder.proj.weight']
    tok = np.zeros((b, HID, GRID, GRID))
    for i in range(GRID):
        for j in range(GRID):
            patch = x[:, :, i * PATCH:(i + 1) * PATCH, j * PATCH:(j + 1) * PATCH]
            tok[:, :, i, j] = np.einsum('bcpq,dcpq->bd', patch, wconv) + W['x_embedder.proj.bias']
    h = tok.reshape(b, HID, T).transpose(0, 2, 1) + W['pos_embed']
    temb = linear(silu(linear(timestep_embedding(t, 256), 't_embedder.mlp.0')), 't_embedder.mlp.2')
    c = temb + W['y_embedder.embedding_table.weight'][y]
    for i in range(DEPTH):
        p = f'blocks.{i}.'
        mod = linear(silu(c), p + 'adaLN_modulation.1')
        sh_msa, sc_msa, g_msa, sh_mlp, sc_mlp, g_mlp = np.split(mod, 6, axis=1)
        h = h + g_msa[:, None] * attention(modulate(layer_norm(h), sh_msa, sc_msa), p)
        m = linear(gelu_tanh(linear(modulate(layer_norm(h), sh_mlp, sc_mlp), p + 'mlp.fc1')), p + 'mlp.fc2')
        h = h + g_mlp[:, None] * m
    shift, scale = np.split(linear(silu(c), 'final_layer.adaLN_modulation.1'), 2, axis=1)
    h = linear(modulate(layer_norm(h), shift, scale), 'final_layer.linear')
    h = h.reshape(b, GRID, GRID, PATCH, PATCH, COUT)
    return np.einsum('nhwpqc->nchpwq', h).reshape(b, COUT, GRID * PATCH, GRID * PATCH)


def forward_with_cfg(x, t, y, cfg_scale):  # x, t, y already doubled as sample.py builds them
    half = x[: len(x) // 2]
    out = dit_forward(np.concatenate([half, half]), t, y)
    eps, rest = out[:, :3], out[:, 3:]
    cond, uncond = np.split(eps, 2, axis=0)
    half_eps = uncond + cfg_scale * (cond - uncond)
    return np.concatenate([np.concatenate([half_eps, half_eps]), rest], axis=1)


# ---------------------------------------------------------------- the diffusion
def space_timesteps(num_timesteps, count):
    size = num_timesteps
    frac_stride = 1 if count <= 1 else (size - 1) / (count - 1)
    cur, taken = 0.0, []
    for _ in range(count):
        taken.append(round(cur))
        cur += frac_stride
    return set(taken)


def spaced_betas(count):
    betas = np.linspace(0.0001, 0.02, 1000, dtype=np.float64)   # get_named_beta_schedule('linear', 1000)
    acp = np.cumprod(1.0 - betas)
    use = space_timesteps(1000, count)
    last, new, tmap = 1.0, [], []
    for i, a in enumerate(acp):
        if i in use:
            new.append(1 - a / last)
            last = a
            tmap.append(i)
    return np.array(new), np.array(tmap)


def p_sample(betas, x, out, k, noise):  # LEARNED_RANGE, eps prediction, clip_denoised=False
    acp, post_log_clipped, coef1, coef2 = posterior(betas)
    c = x.shape[1]
    eps, v = out[:, :c], out[:, c:]
    frac = (v + 1) / 2
    log_var = frac * np.log(betas[k]) + (1 - frac) * post_log_clipped[k]
    x0 = np.sqrt(1.0 / acp[k]) * x - np.sqrt(1.0 / acp[k] - 1) * eps
    mean = coef1[k] * x0 + coef2[k] * x
    return mean + (1.0 if k != 0 else 0.0) * np.exp(0.5 * log_var) * noise


# ---------------------------------------------------------------- cases
ref = {}
x = rng.standard_normal((2, CIN, INPUT, INPUT)).astype(np.float32)
ref['forward_x'] = x
ref['forward_t'] = np.array([999, 17], dtype=np.int64)
ref['forward_y'] = np.array([3, CLASSES], dtype=np.int64)          # one class row, one null row
ref['forward_out'] = dit_forward(x.astype(np.float64), ref['forward_t'], ref['forward_y'])

for count in (250, 100, 7, 1000):
    betas, tmap = spaced_betas(count)
    ref[f'respace_{count}_timesteps'] = tmap.astype(np.int64)
    ref[f'respace_{count}_betas'] = betas

# two guided steps of the default sampler (250 steps, CFG 4) from x_T, label 7, with given noise
betas, tmap = spaced_betas(250)
xt = rng.standard_normal((1, CIN, INPUT, INPUT)).astype(np.float32)
z = rng.standard_normal((2, 1, CIN, INPUT, INPUT)).astype(np.float32)
ref['cfg_label'] = np.array([7], dtype=np.int64)
ref['cfg_x'] = xt
ref['cfg_noise'] = z
xcur = xt.astype(np.float64)
for step, k in enumerate((249, 248)):
    xx = np.concatenate([xcur, xcur])
    tt = np.array([tmap[k]] * 2)
    yy = np.array([7, CLASSES])
    out = forward_with_cfg(xx, tt, yy, 4.0)[:1]                       # sample.py keeps the first half
    ref[f'cfg_out_{step}'] = out
    xcur = p_sample(betas, xcur, out, k, z[step].astype(np.float64))
    ref[f'cfg_x_{step + 1}'] = xcur
# the last step (k = 0): no noise
ref['final_x'] = xt
ref['final_out'] = rng.standard_normal((1, COUT, INPUT, INPUT)).astype(np.float32)
ref['final_next'] = p_sample(betas, xt.astype(np.float64), ref['final_out'].astype(np.float64), 0, np.zeros_like(xt, dtype=np.float64))

np.savez('expected.npz', **ref)


# ---------------------------------------------------------------- the checkpoint, as torch.save writes a state dict
save_pt('dit_small.pt', sd)

print('forward_out[0,0,0,:4]', ref['forward_out'][0, 0, 0, :4])
print('respace_250 first/last', ref['respace_250_timesteps'][:5], ref['respace_250_timesteps'][-3:])
print('cfg_x_2[0,0,0,:4]', ref['cfg_x_2'][0, 0, 0, :4])
print('params', sum(a.size for a in sd.values()))
