"""Fixtures for FullMdmTest: a reduced MDM (official key names, random weights) written as a torch.save
zip, and the outputs of an independent NumPy implementation of the official code
(GuyTevet/motion-diffusion-model: model/mdm.py MDM, PyTorch nn.TransformerEncoderLayer, model/cfg_sampler.py,
diffusion/gaussian_diffusion.py). No torch: the .pt is assembled with pickle + zipfile.
Run from this directory: python3 make_fixtures.py"""
import collections, io, math, pickle, sys, types, zipfile
import numpy as np

# ---- a minimal torch.save writer (protocol 2, little endian, float32/float16 storages) -------------
_torch = types.ModuleType('torch')
_tutils = types.ModuleType('torch._utils')
_torch._utils = _tutils
_torch.FloatStorage = type('FloatStorage', (), {'__module__': 'torch'})
_torch.HalfStorage = type('HalfStorage', (), {'__module__': 'torch'})


def _rebuild_tensor_v2(*a):
    pass


_rebuild_tensor_v2.__module__ = 'torch._utils'
_tutils._rebuild_tensor_v2 = _rebuild_tensor_v2


class _Storage:
    def __init__(self, key, arr):
        self.key, self.arr = key, arr


class _Tensor:
    def __init__(self, storage):
        self.storage = storage

    def __reduce_ex__(self, proto):
        a = self.storage.arr
        stride, acc = [], 1
        for d in reversed(a.shape):
            stride.insert(0, acc)
            acc *= d
        return (_rebuild_tensor_v2, (self.storage, 0, tuple(a.shape), tuple(stride), False, collections.OrderedDict()))


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            kind = _torch.HalfStorage if obj.arr.dtype == np.float16 else _torch.FloatStorage
            return ('storage', kind, obj.key, 'cpu', obj.arr.size)
        return None


def save_pt(fname, tree):
    """tree: nested dicts/lists of numpy float32/float16 arrays and plain numbers, saved as torch.save would."""
    saved = dict(sys.modules)
    sys.modules['torch'], sys.modules['torch._utils'] = _torch, _tutils
    storages = []

    def conv(o):
        if isinstance(o, dict):
            return collections.OrderedDict((k, conv(v)) for k, v in o.items())
        if isinstance(o, list):
            return [conv(v) for v in o]
        if not isinstance(o, np.ndarray):
            return o
        s = _Storage(str(len(storages)), np.ascontiguousarray(o))
        storages.append(s)
        return _Tensor(s)
    try:
        buf = io.BytesIO()
        _Pickler(buf, protocol=2).dump(conv(tree))
    finally:
        sys.modules.clear()
        sys.modules.update(saved)
    entry = lambda name: zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reruns give the same bytes
    with zipfile.ZipFile(fname, 'w') as z:
        z.writestr(entry('archive/data.pkl'), buf.getvalue())
        z.writestr(entry('archive/byteorder'), 'little')
        for s in storages:
            z.writestr(entry('archive/data/' + s.key), s.arr.astype(s.arr.dtype.newbyteorder('<')).tobytes())
        z.writestr(entry('archive/version'), '3\n')


# ---- shared NumPy pieces ---------------------------------------------------------------------------
_erf = np.vectorize(math.erf)


def gelu(x):  # F.gelu, exact
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def layer_norm(x, w, b, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


def linear(x, W, pre):
    return x @ W[pre + '.weight'].T + W[pre + '.bias']


def mha(q_in, k_in, v_in, W, pre, heads):
    """nn.MultiheadAttention, batch-first inputs (B, L, E), packed in_proj."""
    E = q_in.shape[-1]
    w, b = W[pre + '.in_proj_weight'], W[pre + '.in_proj_bias']
    q = q_in @ w[:E].T + b[:E]
    k = k_in @ w[E:2 * E].T + b[E:2 * E]
    v = v_in @ w[2 * E:].T + b[2 * E:]
    B, L, _ = q.shape
    S = k.shape[1]
    hd = E // heads
    q = q.reshape(B, L, heads, hd).transpose(0, 2, 1, 3)
    k = k.reshape(B, S, heads, hd).transpose(0, 2, 1, 3)
    v = v.reshape(B, S, heads, hd).transpose(0, 2, 1, 3)
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)
    s = np.exp(s - s.max(-1, keepdims=True))
    s = s / s.sum(-1, keepdims=True)
    o = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, E)
    return o @ W[pre + '.out_proj.weight'].T + W[pre + '.out_proj.bias']


def randn(rng, shape, fan_in):
    return (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(np.float32)


# ---- MDM --------------------------------------------------------------------------------------------
FEATS, DIM, LAYERS, HEADS, FF, CLIP, FRAMES, T = 263, 32, 2, 4, 64, 16, 10, 1000


def pe_table(max_len, d):
    """model/mdm.py PositionalEncoding, in float32 as torch computes it: [max_len, 1, d]."""
    pe = np.zeros((max_len, d), np.float32)
    position = np.arange(0, max_len, dtype=np.float32)[:, None]
    div_term = np.exp(np.arange(0, d, 2).astype(np.float32) * np.float32(-np.log(10000.0) / d))
    pe[:, 0::2] = np.sin(position * div_term)
    pe[:, 1::2] = np.cos(position * div_term)
    return pe[:, None, :]


def mdm_weights(rng):
    W = collections.OrderedDict()

    def lin(name, o, i):
        W[name + '.weight'] = randn(rng, (o, i), i)
        W[name + '.bias'] = (0.1 * rng.standard_normal(o)).astype(np.float32)
    lin('input_process.poseEmbedding', DIM, FEATS)
    lin('embed_timestep.time_embed.0', DIM, DIM)
    lin('embed_timestep.time_embed.2', DIM, DIM)
    lin('embed_text', DIM, CLIP)
    for i in range(LAYERS):
        p = 'seqTransEncoder.layers.%d' % i
        W[p + '.self_attn.in_proj_weight'] = randn(rng, (3 * DIM, DIM), DIM)
        W[p + '.self_attn.in_proj_bias'] = (0.1 * rng.standard_normal(3 * DIM)).astype(np.float32)
        lin(p + '.self_attn.out_proj', DIM, DIM)
        lin(p + '.linear1', FF, DIM)
        lin(p + '.linear2', DIM, FF)
        for n in ('norm1', 'norm2'):
            W[p + '.' + n + '.weight'] = (1 + 0.1 * rng.standard_normal(DIM)).astype(np.float32)
            W[p + '.' + n + '.bias'] = (0.1 * rng.standard_normal(DIM)).astype(np.float32)
    lin('output_process.poseFinal', FEATS, DIM)
    return W


def mdm_forward(W, x, timesteps, enc_text, force_mask):
    """MDM.forward for arch trans_enc, cond_mode text, emb_policy add; x: [bs, njoints, nfeats, nframes]."""
    W = {k: v.astype(np.float64) for k, v in W.items()}
    pe = pe_table(T, DIM).astype(np.float64)  # the model's own buffer (the loaded one is deleted)
    bs, nj, nf, nframes = x.shape
    te = pe[timesteps]                                                         # [bs, 1, d]
    te = linear(silu(linear(te, W, 'embed_timestep.time_embed.0')), W, 'embed_timestep.time_embed.2')
    time_emb = te.transpose(1, 0, 2)                                           # [1, bs, d]
    cond = np.zeros_like(enc_text) if force_mask else enc_text                 # mask_cond
    emb = linear(cond, W, 'embed_text') + time_emb                             # [1, bs, d]
    xs = x.transpose(3, 0, 1, 2).reshape(nframes, bs, nj * nf)                 # InputProcess
    xs = linear(xs, W, 'input_process.poseEmbedding')
    xseq = np.concatenate([emb, xs], 0)                                        # [seqlen+1, bs, d]
    xseq = xseq + pe[:xseq.shape[0]]
    h = xseq.transpose(1, 0, 2)                                                # attention per batch entry
    for i in range(LAYERS):
        p = 'seqTransEncoder.layers.%d' % i
        h = layer_norm(h + mha(h, h, h, W, p + '.self_attn', HEADS), W[p + '.norm1.weight'], W[p + '.norm1.bias'])
        ff = linear(gelu(linear(h, W, p + '.linear1')), W, p + '.linear2')
        h = layer_norm(h + ff, W[p + '.norm2.weight'], W[p + '.norm2.bias'])
    out = linear(h.transpose(1, 0, 2)[1:], W, 'output_process.poseFinal')     # [seqlen, bs, feats]
    return out.reshape(nframes, bs, nj, nf).transpose(1, 2, 3, 0)             # [bs, njoints, nfeats, nframes]


def silu(x):
    return x / (1 + np.exp(-x))


def cosine_betas(n):
    """gaussian_diffusion.get_named_beta_schedule('cosine') / betas_for_alpha_bar."""
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    return np.array([min(1 - f((i + 1) / n) / f(i / n), 0.999) for i in range(n)], np.float64)


def recover_from_ric(data, joints_num=22):
    """data_loaders/humanml/scripts/motion_process.py recover_from_ric, NumPy transcription."""
    def qrot(q, v):
        qvec = q[..., 1:]
        uv = np.cross(qvec, v)
        uuv = np.cross(qvec, uv)
        return v + 2 * (q[..., :1] * uv + uuv)
    rot_vel = data[..., 0]
    ang = np.zeros_like(rot_vel)
    ang[..., 1:] = rot_vel[..., :-1]
    ang = np.cumsum(ang, -1)
    quat = np.zeros(data.shape[:-1] + (4,))
    quat[..., 0] = np.cos(ang)
    quat[..., 2] = np.sin(ang)
    qinv = quat * np.array([1, -1, -1, -1])
    r_pos = np.zeros(data.shape[:-1] + (3,))
    r_pos[..., 1:, [0, 2]] = data[..., :-1, 1:3]
    r_pos = np.cumsum(qrot(qinv, r_pos), -2)
    r_pos[..., 1] = data[..., 3]
    pos = data[..., 4:(joints_num - 1) * 3 + 4].reshape(data.shape[:-1] + (-1, 3))
    pos = qrot(np.broadcast_to(qinv[..., None, :], pos.shape[:-1] + (4,)), pos)
    pos[..., 0] += r_pos[..., 0:1]
    pos[..., 2] += r_pos[..., 2:3]
    return np.concatenate([r_pos[..., None, :], pos], -2)


def main():
    rng = np.random.default_rng(20260511)
    W = mdm_weights(rng)
    stored = collections.OrderedDict(W)
    # what the official file holds beside the weights: the sinusoid buffer twice (shape of an older
    # max_len on purpose: the rule drops it by name) and, in files saved before the fix, CLIP weights
    stored['sequence_pos_encoder.pe'] = pe_table(20, DIM)
    stored['embed_timestep.sequence_pos_encoder.pe'] = pe_table(20, DIM)
    stored['clip_model.positional_embedding'] = randn(rng, (4, 3), 3).astype(np.float16)
    save_pt('model.pt', stored)

    B = 2
    x = rng.standard_normal((B, FEATS, 1, FRAMES))
    text = rng.standard_normal((B, CLIP)).astype(np.float32)
    out = {'text': text, 'x': x.astype(np.float32).transpose(0, 3, 1, 2).reshape(B, FRAMES, FEATS)}
    xr = x.astype(np.float32).astype(np.float64)
    betas = cosine_betas(T)
    ab = np.cumprod(1 - betas)
    ab_prev = np.append(1.0, ab[:-1])
    post_var = betas * (1 - ab_prev) / (1 - ab)
    post_logvar = np.log(np.append(post_var[1], post_var[1:]))
    coef1 = betas * np.sqrt(ab_prev) / (1 - ab)
    coef2 = (1 - ab_prev) * np.sqrt(1 - betas) / (1 - ab)
    for t in (999, 500, 0):
        ts = np.full(B, t)
        cond = mdm_forward(W, xr, ts, text[None].astype(np.float64), False)
        unc = mdm_forward(W, xr, ts, text[None].astype(np.float64), True)
        guided = unc + 2.5 * (cond - unc)                                       # ClassifierFreeSampleModel
        mean = coef1[t] * guided + coef2[t] * xr                                # q_posterior_mean_variance
        flat = lambda a: a.transpose(0, 3, 1, 2).reshape(B, FRAMES, FEATS).astype(np.float32)
        if t == 999:
            out['cond_%d' % t], out['uncond_%d' % t] = flat(cond), flat(unc)
        out['guided_%d' % t], out['mean_%d' % t] = flat(guided), flat(mean)
        out['sigma_%d' % t] = np.array([math.exp(0.5 * post_logvar[t])], np.float32)
    # preview geometry: recover_from_ric on plausible un-normalized features
    feats = (0.05 * rng.standard_normal((FRAMES, FEATS))).astype(np.float32)
    out['ric_features'] = feats
    out['ric_joints'] = recover_from_ric(feats.astype(np.float64)).astype(np.float32)
    np.savez('expected.npz', **out)
    print('wrote model.pt, expected.npz')


if __name__ == '__main__':
    main()
