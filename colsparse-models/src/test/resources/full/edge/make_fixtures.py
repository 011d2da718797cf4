"""Fixtures for FullEdgeTest: a reduced EDGE DanceDecoder (official key names, random weights stored as
float16) in a training-style dict {'ema_state_dict': ..., 'model_state_dict': ...} written as a torch.save
zip, and the outputs of an independent NumPy implementation of the official code (Stanford-TML/EDGE:
model/model.py DanceDecoder, model/rotary_embedding_torch.py, model/utils.py, model/diffusion.py
ddim_sample and long_ddim_sample, dataset/preprocess.py Normalizer, dataset/scaler.py MinMaxScaler). The .pt
writer is ../fixture_io.py's, the NumPy layers ../numpy_ref.py's (as MDM's).
Run: python3 make_fixtures.py (the files go next to this script)"""
import collections, math, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from numpy_ref import gelu, layer_norm, linear, mha, randn
from fixture_io import Obj, save_pt, stand_in

FEATS, FRAMES, DIM, LAYERS, HEADS, FF, COND, T = 151, 12, 32, 2, 4, 64, 24, 1000


def weights(rng):
    W = collections.OrderedDict()

    def lin(name, o, i):
        W[name + '.weight'] = randn(rng, (o, i), i)
        W[name + '.bias'] = (0.1 * rng.standard_normal(o)).astype(np.float32)

    def norm(name):
        W[name + '.weight'] = (1 + 0.1 * rng.standard_normal(DIM)).astype(np.float32)
        W[name + '.bias'] = (0.1 * rng.standard_normal(DIM)).astype(np.float32)

    def attn(name):
        W[name + '.in_proj_weight'] = randn(rng, (3 * DIM, DIM), DIM)
        W[name + '.in_proj_bias'] = (0.1 * rng.standard_normal(3 * DIM)).astype(np.float32)
        lin(name + '.out_proj', DIM, DIM)
    lin('time_mlp.1', 4 * DIM, DIM)
    lin('to_time_cond.0', DIM, 4 * DIM)
    lin('to_time_tokens.0', 2 * DIM, 4 * DIM)
    W['null_cond_embed'] = rng.standard_normal((1, FRAMES, DIM)).astype(np.float32)
    W['null_cond_hidden'] = rng.standard_normal((1, DIM)).astype(np.float32)
    norm('norm_cond')
    lin('input_projection', DIM, FEATS)
    for i in range(2):
        p = 'cond_encoder.%d' % i
        attn(p + '.self_attn')
        lin(p + '.linear1', FF, DIM)
        lin(p + '.linear2', DIM, FF)
        norm(p + '.norm1')
        norm(p + '.norm2')
    lin('cond_projection', DIM, COND)
    norm('non_attn_cond_projection.0')
    lin('non_attn_cond_projection.1', DIM, DIM)
    lin('non_attn_cond_projection.3', DIM, DIM)
    for i in range(LAYERS):
        p = 'seqTransDecoder.stack.%d' % i
        attn(p + '.self_attn')
        attn(p + '.multihead_attn')
        lin(p + '.linear1', FF, DIM)
        lin(p + '.linear2', DIM, FF)
        for n in (1, 2, 3):
            norm(p + '.norm%d' % n)
            lin(p + '.film%d.block.1' % n, 2 * DIM, DIM)
    lin('final_layer', FEATS, DIM)
    W['final_layer.weight'] *= np.float32(0.3)  # most x0 predictions inside EDGE's [-1, 1] clip
    return W


def rotary_freqs(dim):
    """RotaryEmbedding(dim), freqs_for='lang', theta 10000, float32 as torch computes it."""
    return (np.float32(1.0) / (np.float32(10000) ** (np.arange(0, dim, 2)[:dim // 2].astype(np.float32) / np.float32(dim)))).astype(np.float32)


def rotate(t):
    """rotate_queries_or_keys over the sequence axis -2: apply_rotary_emb(freqs, t)."""
    S, D = t.shape[-2], t.shape[-1]
    f = np.einsum('n,f->nf', np.arange(S).astype(np.float32), rotary_freqs(D)).astype(np.float32)
    f = np.repeat(f, 2, axis=-1)                                   # '... n -> ... (n r)', r=2
    x = t.reshape(t.shape[:-1] + (D // 2, 2))
    half = np.stack((-x[..., 1], x[..., 0]), -1).reshape(t.shape)  # rotate_half
    return t * np.cos(f).astype(np.float64) + half * np.sin(f).astype(np.float64)


def mish(x):
    return x * np.tanh(np.log1p(np.exp(x)))


def sinusoidal(times, dim):
    """model/utils.py SinusoidalPosEmb in float32."""
    half = dim // 2
    emb = math.log(10000) / (half - 1)
    emb = np.exp(np.arange(half).astype(np.float32) * np.float32(-emb)).astype(np.float32)
    emb = times.astype(np.float32)[:, None] * emb[None, :]
    return np.concatenate((np.sin(emb), np.cos(emb)), -1).astype(np.float64)


def film(W, name, t):
    ss = linear(mish(t), W, name + '.block.1')[:, None, :]          # DenseFiLM: 'b c -> b 1 c'
    return ss[..., :DIM], ss[..., DIM:]


def forward(W, x, cond_embed, times, cond_drop_prob):
    """DanceDecoder.forward (use_rotary=True, batch_first, norm_first) at inference."""
    B = x.shape[0]
    x = linear(x, W, 'input_projection')
    keep = np.full(B, cond_drop_prob == 0)
    cond_tokens = linear(cond_embed, W, 'cond_projection')
    for i in range(2):
        p = 'cond_encoder.%d' % i
        n = layer_norm(cond_tokens, W[p + '.norm1.weight'], W[p + '.norm1.bias'])
        qk = rotate(n)
        cond_tokens = cond_tokens + mha(qk, qk, n, W, p + '.self_attn', HEADS)
        n = layer_norm(cond_tokens, W[p + '.norm2.weight'], W[p + '.norm2.bias'])
        cond_tokens = cond_tokens + linear(gelu(linear(n, W, p + '.linear1')), W, p + '.linear2')
    cond_tokens = np.where(keep[:, None, None], cond_tokens, W['null_cond_embed'])
    pooled = cond_tokens.mean(-2)
    h = layer_norm(pooled, W['non_attn_cond_projection.0.weight'], W['non_attn_cond_projection.0.bias'])
    h = linear(h, W, 'non_attn_cond_projection.1')
    cond_hidden = linear(h / (1 + np.exp(-h)), W, 'non_attn_cond_projection.3')
    t_hidden = mish(linear(sinusoidal(times, DIM), W, 'time_mlp.1'))
    t = linear(t_hidden, W, 'to_time_cond.0')
    t_tokens = linear(t_hidden, W, 'to_time_tokens.0').reshape(B, 2, DIM)
    t = t + np.where(keep[:, None], cond_hidden, W['null_cond_hidden'])
    c = np.concatenate((cond_tokens, t_tokens), -2)
    mem = layer_norm(c, W['norm_cond.weight'], W['norm_cond.bias'])
    for i in range(LAYERS):
        p = 'seqTransDecoder.stack.%d' % i
        n = layer_norm(x, W[p + '.norm1.weight'], W[p + '.norm1.bias'])
        qk = rotate(n)
        scale, shift = film(W, p + '.film1', t)
        x = x + (scale + 1) * mha(qk, qk, n, W, p + '.self_attn', HEADS) + shift
        n = layer_norm(x, W[p + '.norm2.weight'], W[p + '.norm2.bias'])
        scale, shift = film(W, p + '.film2', t)
        x = x + (scale + 1) * mha(rotate(n), rotate(mem), mem, W, p + '.multihead_attn', HEADS) + shift
        n = layer_norm(x, W[p + '.norm3.weight'], W[p + '.norm3.bias'])
        scale, shift = film(W, p + '.film3', t)
        x = x + (scale + 1) * linear(gelu(linear(n, W, p + '.linear1')), W, p + '.linear2') + shift
    return linear(x, W, 'final_layer')


def alphas_cumprod(n):
    """model/utils.py make_beta_schedule('cosine') -> torch.Tensor (float32) -> cumprod of 1 - betas."""
    s = 8e-3
    ts = np.arange(n + 1, dtype=np.float64) / n + s
    a = np.cos(ts / (1 + s) * np.pi / 2) ** 2
    a = a / a[0]
    betas = np.clip(1 - a[1:] / a[:-1], 0, 0.999).astype(np.float32)
    alphas = (np.float32(1) - betas).astype(np.float32)
    return np.cumprod(alphas.astype(np.float64)).astype(np.float32).astype(np.float64)


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    rng = np.random.default_rng(20260512)
    W = weights(rng)
    half = collections.OrderedDict((k, v.astype(np.float16)) for k, v in W.items())
    ema = collections.OrderedDict(half)
    ema['rotary.freqs'] = rotary_freqs(DIM)
    for i in range(2):
        ema['cond_encoder.%d.rotary.freqs' % i] = rotary_freqs(DIM)
    for i in range(LAYERS):
        ema['seqTransDecoder.stack.%d.rotary.freqs' % i] = rotary_freqs(DIM)
    training = {'ema_state_dict': ema,
                'model_state_dict': {'final_layer.bias': np.zeros(FEATS, np.float32)},
                'optimizer_state_dict': {'state': {0: {'exp_avg': np.zeros(3, np.float32)}},
                                         'param_groups': [{'lr': 4e-4, 'params': [0]}]}}
    save_pt('checkpoint.pt', training, ordered_dicts=True)
    # the official checkpoint.pt also pickles EDGE's data normalizer, a Python object: Normalizer (NEWOBJ + BUILD
    # of its __dict__) whose scaler is a MinMaxScaler holding torch tensors fitted on the training motion, so its
    # state references storages of the archive like the weights do; the loader skips it without reading them
    data = rng.standard_normal((40, FEATS)).astype(np.float32)
    lo, hi = data.min(0), data.max(0)
    scale = (np.float32(2) / (hi - lo)).astype(np.float32)
    scaler = Obj(stand_in('dataset.scaler', 'MinMaxScaler'), feature_range=(-1, 1), copy=True, clip=True,
                 n_samples_seen_=len(data), scale_=scale, min_=(np.float32(-1) - lo * scale).astype(np.float32),
                 data_min_=lo, data_max_=hi, data_range_=(hi - lo).astype(np.float32))
    normalizer = Obj(stand_in('dataset.preprocess', 'Normalizer'), scaler=scaler)
    save_pt('with_normalizer.pt', dict(training, normalizer=normalizer), ordered_dicts=True)
    Wd = {k: v.astype(np.float64) for k, v in half.items()}                   # what the model holds after loading

    B = 2
    x = rng.standard_normal((B, FRAMES, FEATS)).astype(np.float32)
    music = rng.standard_normal((B, FRAMES, COND)).astype(np.float32)
    out = {'x': x, 'music': music}
    ab = alphas_cumprod(T)
    times = list(reversed(np.linspace(-1, T - 1, 51).astype(np.float32).astype(np.int64).tolist()))
    out['ddim_times'] = np.array(times[:-1], np.float32)
    xd, md = x.astype(np.float64), music.astype(np.float64)
    for time, time_next in ((999, 979), (19, -1)):
        tt = np.full(B, time)
        unc = forward(Wd, xd, md, tt, 1)                                         # guided_forward
        cond = forward(Wd, xd, md, tt, 0)
        x_start = np.clip(unc + (cond - unc) * 2, -1, 1)                         # model_predictions, clip_x_start
        if time == 999:
            out['cond_999'], out['uncond_999'] = cond.astype(np.float32), unc.astype(np.float32)
        out['x0_%d' % time] = x_start.astype(np.float32)
        if time_next < 0:
            nxt, sigma = x_start, 0.0
        else:
            alpha, alpha_next = ab[time], ab[time_next]
            pred_noise = (np.sqrt(1 / alpha) * xd - x_start) / np.sqrt(1 / alpha - 1)   # predict_noise_from_start
            sigma = 1 * math.sqrt((1 - alpha / alpha_next) * (1 - alpha_next) / (1 - alpha))
            c = math.sqrt(1 - alpha_next - sigma ** 2)
            nxt = x_start * math.sqrt(alpha_next) + c * pred_noise               # + sigma * noise
        out['next_%d' % time] = nxt.astype(np.float32)
        out['sigma_%d' % time] = np.array([sigma], np.float32)
    out.update(long_ddim(Wd, ab, rng))
    np.savez('expected.npz', **out)
    print('wrote checkpoint.pt, with_normalizer.pt, expected.npz; ddim times', times[:3], '...', times[-3:])


def step_noise(step, shape):
    """The noise of DDIM step `step` (0 = the step from t = 999): a fixed formula the test repeats, so that a
    whole noisy run compares exactly (the official code draws torch.randn_like)."""
    return (1.4 * np.sin(0.37 * np.arange(np.prod(shape)) + 1.3 * step)).astype(np.float32).reshape(shape)


def long_ddim(Wd, ab, rng, B=3, weight=2, steps=50):
    """diffusion.py long_ddim_sample as EDGE.py render_sample(mode="long") runs it on B consecutive slices: the
    guidance weight of step i is clip(linspace(0, 2 w, 50), None, w)[i] (0 at t = 999), DDIM eta 1 with x0 clipped
    to [-1, 1], and after every step with time > 0 each slice's first half is the previous slice's second half."""
    xT = rng.standard_normal((B, FRAMES, FEATS)).astype(np.float32)
    music = rng.standard_normal((B, FRAMES, COND)).astype(np.float32)
    times = list(reversed(np.linspace(-1, T - 1, steps + 1).astype(np.float32).astype(np.int64).tolist()))
    weights = np.clip(np.linspace(0, weight * 2, steps), None, weight)
    x, md, half = xT.astype(np.float64), music.astype(np.float64), FRAMES // 2
    for i, (time, time_next, w) in enumerate(zip(times[:-1], times[1:], weights)):
        tt = np.full(B, time)
        unc = forward(Wd, x, md, tt, 1)
        x_start = np.clip(unc + (forward(Wd, x, md, tt, 0) - unc) * w, -1, 1)
        if time_next < 0:
            x = x_start
            continue
        alpha, alpha_next = ab[time], ab[time_next]
        pred_noise = (np.sqrt(1 / alpha) * x - x_start) / np.sqrt(1 / alpha - 1)
        sigma = math.sqrt((1 - alpha / alpha_next) * (1 - alpha_next) / (1 - alpha))
        c = math.sqrt(1 - alpha_next - sigma ** 2)
        x = x_start * math.sqrt(alpha_next) + c * pred_noise + sigma * step_noise(i, x.shape)
        if time > 0:
            x[1:, :half] = x[:-1, half:]
    return {'long_xT': xT, 'long_music': music, 'long_weights': weights.astype(np.float32), 'long_x': x.astype(np.float32)}


if __name__ == '__main__':
    main()
