"""Fixtures for FullMdmTest: a reduced MDM (official key names, random weights) written as a torch.save
zip, and the outputs of an independent NumPy implementation of the official code
(GuyTevet/motion-diffusion-model: model/mdm.py MDM, PyTorch nn.TransformerEncoderLayer, model/cfg_sampler.py,
diffusion/gaussian_diffusion.py). No torch: the .pt is assembled with pickle + zipfile (../fixture_io.py);
the layers (nn.MultiheadAttention, LayerNorm, exact GELU) and the posterior terms are ../numpy_ref.py's.
Run: python3 make_fixtures.py (the files go next to this script)"""
import collections, math, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: the shared helpers
from numpy_ref import gelu, layer_norm, linear, mha, posterior, randn, silu
from fixture_io import save_pt


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
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    rng = np.random.default_rng(20260511)
    W = mdm_weights(rng)
    stored = collections.OrderedDict(W)
    # what the official file holds beside the weights: the sinusoid buffer of PositionalEncoding(max_len 5000, the
    # pos_embed_max_len default), under two names because embed_timestep holds the same module, so torch.save
    # writes one storage for both. No clip_model.*: train/training_loop.py deletes those keys before saving, and
    # utils/model_util.py load_model_wo_clip deletes the two pe keys and loads with only clip_model.* missing
    pe = pe_table(5000, DIM)
    stored['sequence_pos_encoder.pe'] = pe
    stored['embed_timestep.sequence_pos_encoder.pe'] = pe
    save_pt('model.pt', stored, ordered_dicts=True)

    B = 2
    x = rng.standard_normal((B, FEATS, 1, FRAMES))
    text = rng.standard_normal((B, CLIP)).astype(np.float32)
    out = {'text': text, 'x': x.astype(np.float32).transpose(0, 3, 1, 2).reshape(B, FRAMES, FEATS)}
    xr = x.astype(np.float32).astype(np.float64)
    betas = cosine_betas(T)
    _, post_logvar, coef1, coef2 = posterior(betas)
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
