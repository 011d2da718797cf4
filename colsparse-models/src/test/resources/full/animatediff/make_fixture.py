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
MotionAdapter names, float16), inputs.npz, expected.npz.
Run: python3 make_fixture.py (numpy only; no torch).
"""
import collections, io, json, math, pickle, struct, sys, types, zipfile
import numpy as np

rng = np.random.default_rng(20261126)
CH = (8, 16)
ATTN = (True, False)
LAYERS = 1
HEADS = 2
GROUPS = 4
CTX_DIM = 8
CTX_TOKENS = 4
IN_CH = 4
TEMB = 4 * CH[0]
FRAMES = 4
MHEADS = 2
PE_LEN = 24       # temporal_position_encoding_max_len of v1
VERSION = {'joint': True, 'mid': False, 'diffusers': False}   # v1; main() also builds v2 and the diffusers port

P = collections.OrderedDict()   # diffusers name -> float64 array (values exact in float16)


def param(name, *shape, kind='w'):
    if kind == 'w':
        fan_in = int(np.prod(shape[1:]))
        v = rng.standard_normal(shape) / math.sqrt(fan_in)
    elif kind == 'g':
        v = 1 + 0.2 * rng.standard_normal(shape)
    else:
        v = 0.2 * rng.standard_normal(shape)
    P[name] = v.astype(np.float16).astype(np.float64)
    return name


def conv_p(prefix, cout, cin, k):
    param(prefix + '.weight', cout, cin, k, k)
    param(prefix + '.bias', cout, kind='b')


def lin_p(prefix, cout, cin, bias=True):
    param(prefix + '.weight', cout, cin)
    if bias:
        param(prefix + '.bias', cout, kind='b')


def norm_p(prefix, c):
    param(prefix + '.weight', c, kind='g')
    param(prefix + '.bias', c, kind='b')


# ---- layers (float64) ----
def conv2d(x, w, b, stride=1, pad=1):
    n, c, h, wd = x.shape
    co, ci, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho = (h + 2 * pad - k) // stride + 1
    wo = (wd + 2 * pad - k) // stride + 1
    out = np.zeros((n, co, ho, wo))
    for i in range(k):
        for j in range(k):
            patch = xp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride]
            out += np.einsum('nchw,oc->nohw', patch, w[:, :, i, j])
    return out + b[None, :, None, None]


def group_norm(x, g, b, eps, groups=GROUPS):
    n, c = x.shape[:2]
    xg = x.reshape(n, groups, -1)
    mu = xg.mean(-1, keepdims=True)
    var = ((xg - mu) ** 2).mean(-1, keepdims=True)
    y = ((xg - mu) / np.sqrt(var + eps)).reshape(x.shape)
    shp = (1, c) + (1,) * (x.ndim - 2)
    return y * g.reshape(shp) + b.reshape(shp)


def video_norm(x, g, b, eps):
    """GroupNorm of (b f) images: per frame, or (AnimateDiff v1) over each video's frames together."""
    if not VERSION['joint']:
        return group_norm(x, g, b, eps)
    n, c, h, w = x.shape
    v = x.reshape(n // FRAMES, FRAMES, c, h, w).transpose(0, 2, 1, 3, 4)
    return group_norm(v, g, b, eps).transpose(0, 2, 1, 3, 4).reshape(x.shape)


def layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def silu(x):
    return x / (1 + np.exp(-x))


_erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def linear(x, prefix, bias=True):
    y = x @ P[prefix + '.weight'].T
    return y + P[prefix + '.bias'] if bias else y


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# ---- blocks, declaring parameters in the model's construction order ----
class Resnet:
    def __init__(self, prefix, cin, cout):
        self.p, self.cin, self.cout = prefix, cin, cout
        norm_p(prefix + '.norm1', cin)
        conv_p(prefix + '.conv1', cout, cin, 3)
        lin_p(prefix + '.time_emb_proj', cout, TEMB)
        norm_p(prefix + '.norm2', cout)
        conv_p(prefix + '.conv2', cout, cout, 3)
        if cin != cout:
            conv_p(prefix + '.conv_shortcut', cout, cin, 1)

    def __call__(self, x, temb):
        p = self.p
        h = conv2d(silu(video_norm(x, P[p + '.norm1.weight'], P[p + '.norm1.bias'], 1e-5)), P[p + '.conv1.weight'], P[p + '.conv1.bias'])
        h = h + linear(silu(temb), p + '.time_emb_proj')[:, :, None, None]
        h = silu(video_norm(h, P[p + '.norm2.weight'], P[p + '.norm2.bias'], 1e-5))
        h = conv2d(h, P[p + '.conv2.weight'], P[p + '.conv2.bias'])
        if self.cin != self.cout:
            x = conv2d(x, P[p + '.conv_shortcut.weight'], P[p + '.conv_shortcut.bias'], pad=0)
        return x + h


def attention(x, ctx, prefix, HEADS=HEADS):
    q = linear(x, prefix + '.to_q', bias=False)
    k = linear(ctx, prefix + '.to_k', bias=False)
    v = linear(ctx, prefix + '.to_v', bias=False)
    n, s, c = q.shape
    d = c // HEADS
    qh = q.reshape(n, s, HEADS, d).transpose(0, 2, 1, 3)
    kh = k.reshape(n, -1, HEADS, d).transpose(0, 2, 1, 3)
    vh = v.reshape(n, -1, HEADS, d).transpose(0, 2, 1, 3)
    o = softmax(qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(d)) @ vh
    return linear(o.transpose(0, 2, 1, 3).reshape(n, s, c), prefix + '.to_out.0')


GATES = []   # gelu(gate) of every transformer, in forward order


class Transformer2D:
    def __init__(self, prefix, c):
        self.p, self.c = prefix, c
        norm_p(prefix + '.norm', c)
        conv_p(prefix + '.proj_in', c, c, 1)
        b = prefix + '.transformer_blocks.0'
        norm_p(b + '.norm1', c)
        for a, kv in (('attn1', c), ('attn2', CTX_DIM)):
            if a == 'attn2':
                norm_p(b + '.norm2', c)
            lin_p(b + '.' + a + '.to_q', c, c, bias=False)
            lin_p(b + '.' + a + '.to_k', c, kv, bias=False)
            lin_p(b + '.' + a + '.to_v', c, kv, bias=False)
            lin_p(b + '.' + a + '.to_out.0', c, c)
        norm_p(b + '.norm3', c)
        lin_p(b + '.ff.net.0.proj', 8 * c, c)
        lin_p(b + '.ff.net.2', c, 4 * c)
        conv_p(prefix + '.proj_out', c, c, 1)

    def __call__(self, x, ctx):
        p, c = self.p, self.c
        n, _, h, w = x.shape
        t = group_norm(x, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6)
        t = conv2d(t, P[p + '.proj_in.weight'], P[p + '.proj_in.bias'], pad=0)
        t = t.transpose(0, 2, 3, 1).reshape(n, h * w, c)
        b = p + '.transformer_blocks.0'
        t = attention(layer_norm(t, P[b + '.norm1.weight'], P[b + '.norm1.bias']), layer_norm(t, P[b + '.norm1.weight'], P[b + '.norm1.bias']), b + '.attn1') + t
        t = attention(layer_norm(t, P[b + '.norm2.weight'], P[b + '.norm2.bias']), ctx, b + '.attn2') + t
        hs = linear(layer_norm(t, P[b + '.norm3.weight'], P[b + '.norm3.bias']), b + '.ff.net.0.proj')
        value, gate = hs[..., :4 * c], hs[..., 4 * c:]
        g = gelu(gate)
        GATES.append(g)
        t = linear(value * g, b + '.ff.net.2') + t
        t = t.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return conv2d(t, P[p + '.proj_out.weight'], P[p + '.proj_out.bias'], pad=0) + x


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
        norm_p(p + '.norm', c)
        lin_p(p + '.proj_in', c, c)
        b = p + '.transformer_blocks.0'
        for i in range(2):
            a = f'{b}.attention_blocks.{i}'
            for w in ('to_q', 'to_k', 'to_v'):
                lin_p(a + '.' + w, c, c, bias=False)
            lin_p(a + '.to_out.0', c, c)
            PE[a + '.pos_encoder.pe'] = sinusoid(PE_LEN, c)[None]
        for i in range(2):
            norm_p(f'{b}.norms.{i}', c)
        lin_p(b + '.ff.net.0.proj', 8 * c, c)
        lin_p(b + '.ff.net.2', c, 4 * c)
        norm_p(b + '.ff_norm', c)
        lin_p(p + '.proj_out', c, c)

    def __call__(self, x):
        p, c = self.p, self.c
        n, _, h, w = x.shape
        v = n // FRAMES
        if VERSION['diffusers']:
            # diffusers AnimateDiffTransformer3D: GroupNorm on (b, c, f, h, w), each video's frames together
            vv = x.reshape(v, FRAMES, c, h, w).transpose(0, 2, 1, 3, 4)
            t = group_norm(vv, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6).transpose(0, 2, 1, 3, 4).reshape(x.shape)
        else:
            t = group_norm(x, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6)      # after "b c f h w -> (b f) c h w"
        t = linear(t.transpose(0, 2, 3, 1).reshape(n, h * w, c), p + '.proj_in')
        b = p + '.transformer_blocks.0'
        pe = sinusoid(FRAMES, c)
        for i in range(2):
            nh = layer_norm(t, P[f'{b}.norms.{i}.weight'], P[f'{b}.norms.{i}.bias'])
            nh = nh.reshape(v, FRAMES, h * w, c).transpose(0, 2, 1, 3).reshape(v * h * w, FRAMES, c) + pe   # (b f) d c -> (b d) f c
            a = attention(nh, nh, f'{b}.attention_blocks.{i}', HEADS=MHEADS)
            t = a.reshape(v, h * w, FRAMES, c).transpose(0, 2, 1, 3).reshape(n, h * w, c) + t
        hs = linear(layer_norm(t, P[b + '.ff_norm.weight'], P[b + '.ff_norm.bias']), b + '.ff.net.0.proj')
        g = gelu(hs[..., 4 * c:])
        # the FF GEMM's rows: (b f h w) in the original ("(b f) d c"), (b h w f) in diffusers' "(b h w) f c" layout
        GATES.append(g.reshape(v, FRAMES, h * w, -1).transpose(0, 2, 1, 3) if VERSION['diffusers'] else g)
        t = linear(hs[..., :4 * c] * g, b + '.ff.net.2') + t
        t = linear(t, p + '.proj_out').reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return t + x


# diffusers UNet2DConditionModel.__init__ order: conv_in, time_embedding, down, mid, up, conv_norm_out, conv_out
conv_p('conv_in', CH[0], IN_CH, 3)
lin_p('time_embedding.linear_1', TEMB, CH[0])
lin_p('time_embedding.linear_2', TEMB, TEMB)
down = []
cin = CH[0]
for i, c in enumerate(CH):
    blk = {'res': [], 'attn': [], 'motion': [], 'down': None}
    for j in range(LAYERS):
        blk['res'].append(Resnet(f'down_blocks.{i}.resnets.{j}', cin if j == 0 else c, c))
        if ATTN[i]:
            blk['attn'].append(Transformer2D(f'down_blocks.{i}.attentions.{j}', c))
        blk['motion'].append(Motion(f'down_blocks.{i}.motion_modules.{j}', c))
    if i < len(CH) - 1:
        conv_p(f'down_blocks.{i}.downsamplers.0.conv', c, c, 3)
        blk['down'] = f'down_blocks.{i}.downsamplers.0.conv'
    down.append(blk)
    cin = c
mid_res0 = Resnet('mid_block.resnets.0', CH[-1], CH[-1])
mid_attn = Transformer2D('mid_block.attentions.0', CH[-1])
mid_motion = Motion('mid_block.motion_modules.0', CH[-1])   # v2 only; its weights go to mm_v2.ckpt alone
mid_res1 = Resnet('mid_block.resnets.1', CH[-1], CH[-1])
up = []
rev = list(reversed(CH))
rev_attn = list(reversed(ATTN))
prev = CH[-1]
for u, c in enumerate(rev):
    skip_in = rev[min(u + 1, len(CH) - 1)]
    blk = {'res': [], 'attn': [], 'motion': [], 'up': None}
    for j in range(LAYERS + 1):
        res_skip = skip_in if j == LAYERS else c
        res_in = prev if j == 0 else c
        blk['res'].append(Resnet(f'up_blocks.{u}.resnets.{j}', res_in + res_skip, c))
        if rev_attn[u]:
            blk['attn'].append(Transformer2D(f'up_blocks.{u}.attentions.{j}', c))
        blk['motion'].append(Motion(f'up_blocks.{u}.motion_modules.{j}', c))
    if u < len(CH) - 1:
        conv_p(f'up_blocks.{u}.upsamplers.0.conv', c, c, 3)
        blk['up'] = f'up_blocks.{u}.upsamplers.0.conv'
    up.append(blk)
    prev = c
norm_p('conv_norm_out', CH[0])
conv_p('conv_out', IN_CH, CH[0], 3)


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = np.exp(-math.log(10000) * np.arange(half) / half)   # downscale_freq_shift 0
    args = t[:, None] * freqs[None]
    return np.concatenate([np.cos(args), np.sin(args)], 1)      # flip_sin_to_cos True


def unet(x, t, ctx):
    GATES.clear()
    temb = linear(silu(linear(timestep_embedding(t, CH[0]), 'time_embedding.linear_1')), 'time_embedding.linear_2')
    h = conv2d(x, P['conv_in.weight'], P['conv_in.bias'])
    skips = [h]
    for blk in down:
        for j in range(LAYERS):
            h = blk['res'][j](h, temb)
            if blk['attn']:
                h = blk['attn'][j](h, ctx)
            h = blk['motion'][j](h)
            skips.append(h)
        if blk['down']:
            h = conv2d(h, P[blk['down'] + '.weight'], P[blk['down'] + '.bias'], stride=2, pad=1)
            skips.append(h)
    h = mid_attn(mid_res0(h, temb), ctx)
    if VERSION['mid']:
        h = mid_motion(h)
    h = mid_res1(h, temb)
    for blk in up:
        for j in range(LAYERS + 1):
            h = blk['res'][j](np.concatenate([h, skips.pop()], 1), temb)
            if blk['attn']:
                h = blk['attn'][j](h, ctx)
            h = blk['motion'][j](h)
        if blk['up']:
            h = h.repeat(2, 2).repeat(2, 3)
            h = conv2d(h, P[blk['up'] + '.weight'], P[blk['up'] + '.bias'])
    assert not skips
    h = silu(video_norm(h, P['conv_norm_out.weight'], P['conv_norm_out.bias'], 1e-5))
    return conv2d(h, P['conv_out.weight'], P['conv_out.bias'])


# ---- writers ----
def write_safetensors(fname, tensors, dtype):
    header, blobs, off = {}, [], 0
    for k, v in tensors.items():
        raw = v.astype('<f2' if dtype == 'F16' else '<f4').tobytes()
        header[k] = {'dtype': dtype, 'shape': list(v.shape), 'data_offsets': [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hj = json.dumps(header).encode()
    with open(fname, 'wb') as f:
        f.write(struct.pack('<Q', len(hj)) + hj + b''.join(blobs))


# torch.save's pickle, written without torch: stand-ins registered under torch's module names
torch = types.ModuleType('torch')
tutils = types.ModuleType('torch._utils')
sys.modules['torch'], sys.modules['torch._utils'] = torch, tutils
torch.FloatStorage = type('FloatStorage', (), {'__module__': 'torch'})


def _rebuild_tensor_v2(*a):
    pass


_rebuild_tensor_v2.__module__ = 'torch._utils'
tutils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, key, raw, numel):
        self.key, self.raw, self.numel = key, raw, numel


class Tensor:
    def __init__(self, storage, shape):
        stride = tuple(int(np.prod(shape[i + 1:])) for i in range(len(shape)))
        self.args = (storage, 0, tuple(shape), stride, False, collections.OrderedDict())

    def __reduce_ex__(self, proto):
        return (_rebuild_tensor_v2, self.args)


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return ('storage', torch.FloatStorage, obj.key, 'cpu', obj.numel) if isinstance(obj, Storage) else None


def write_ckpt(fname, tensors, extra, nest=True):
    storages, sd = [], collections.OrderedDict()
    for k, v in tensors.items():
        s = Storage(str(len(storages)), v.astype('<f4').tobytes(), v.size)
        storages.append(s)
        sd[k] = Tensor(s, v.shape)
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(dict({'state_dict': sd}, **extra) if nest else sd)
    with zipfile.ZipFile(fname, 'w') as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/byteorder', 'little')
        for s in storages:
            z.writestr('archive/data/' + s.key, s.raw)
        z.writestr('archive/version', '3\n')


# ---- DDIM as scripts/animate.py configures it: beta_schedule "linear" (not SD's scaled_linear), steps_offset 1,
# set_alpha_to_one left at DDIMScheduler's default True; guidance 8 (configs/prompts) ----
betas = np.linspace(0.00085, 0.012, 1000)
alphas_cumprod = np.cumprod(1 - betas)


def ddim_cfg(xT, text, uncond, steps, scale=8.0):
    """xT: (b f) c h w frames of one video batch; text/uncond: (b, tokens, dim), repeated per frame."""
    ratio = 1000 // steps
    timesteps = (np.arange(steps) * ratio)[::-1] + 1
    x = xT
    ctx = np.concatenate([text.repeat(FRAMES, 0), uncond.repeat(FRAMES, 0)], 0)   # conditional videos first
    n = x.shape[0]
    for t in timesteps:
        eps2 = unet(np.concatenate([x, x], 0), np.full(2 * n, float(t)), ctx)
        e_c, e_u = eps2[:n], eps2[n:]
        eps = e_u + scale * (e_c - e_u)
        prev = t - ratio
        a_t = alphas_cumprod[t]
        a_prev = alphas_cumprod[prev] if prev >= 0 else 1.0
        x0 = (x - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x


if __name__ == '__main__':
    f16 = lambda a: a.astype(np.float16).astype(np.float64)
    f32 = lambda a: np.asarray(a, dtype='<f4')
    x = f16(rng.standard_normal((2 * FRAMES, IN_CH, 8, 8)))              # 2 videos of 4 frames
    t = np.repeat([981.0, 1.0], FRAMES)
    ctx = f16(rng.standard_normal((2, CTX_TOKENS, CTX_DIM))).repeat(FRAMES, 0)
    out = {}
    for name, joint, mid, dif in (('v1', True, False, False), ('v2', False, True, False), ('diffusers', False, True, True)):
        VERSION.update(joint=joint, mid=mid, diffusers=dif)
        out['eps_' + name] = f32(unet(x, t, ctx))
        # the first motion-module site (down.0.motion.0.ff): its rows are (b f h w) in the official order
        out[f'gate_{name}_1'] = f32(GATES[1])
    VERSION.update(joint=True, mid=False, diffusers=False)
    xT = f16(rng.standard_normal((FRAMES, IN_CH, 8, 8)))
    text = f16(rng.standard_normal((1, CTX_TOKENS, CTX_DIM)))
    uncond = f16(rng.standard_normal((1, CTX_TOKENS, CTX_DIM)))
    out['sample2_v1'] = f32(ddim_cfg(xT, text, uncond, 2))

    sd = collections.OrderedDict((k, v) for k, v in P.items() if 'motion_modules.' not in k)
    write_safetensors('unet.safetensors', sd, 'F16')
    mm = lambda with_mid: collections.OrderedDict(
        (k, v) for k, v in list(P.items()) + list(PE.items()) if 'motion_modules.' in k and (with_mid or 'mid_block' not in k))
    write_ckpt('mm_v1.ckpt', mm(False), {}, nest=False)
    write_ckpt('mm_v2.ckpt', mm(True), {}, nest=True)
    # the diffusers MotionAdapter names, as scripts/convert_animatediff_motion_module_to_diffusers.py renames them,
    # with the adapter's own persistent sinusoidal buffers (attn1/attn2.pos_embed.pe, max_seq_length 32)
    adapter = collections.OrderedDict()
    for k, v in mm(True).items():
        if 'pos_encoder' in k:
            k = k.replace('.pos_encoder.pe', '.pos_embed.pe')
            v = sinusoid(32, v.shape[-1])[None]
        adapter[k.replace('.norms.0', '.norm1').replace('.norms.1', '.norm2').replace('.ff_norm', '.norm3')
                .replace('.attention_blocks.0', '.attn1').replace('.attention_blocks.1', '.attn2')
                .replace('.temporal_transformer', '')] = v
    write_safetensors('mm_diffusers.safetensors', adapter, 'F16')
    np.savez('inputs.npz', x=f32(x), t=f32(t), context=f32(ctx), xT=f32(xT), text=f32(text), uncond=f32(uncond))
    np.savez('expected.npz', **out)
    print('sd params', sum(v.size for v in sd.values()), 'motion params (v2)', sum(v.size for v in mm(True).values()) - sum(v.size for v in PE.values()),
          'eps_v1 |max|', np.abs(out['eps_v1']).max(), 'eps_v2 |max|', np.abs(out['eps_v2']).max(),
          'sample2 |max|', np.abs(out['sample2_v1']).max())
