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
Run: python3 make_fixture.py (numpy only; no torch).
"""
import collections, io, json, math, pickle, struct, sys, types, zipfile
import numpy as np

rng = np.random.default_rng(20261126)
CH = (8, 16)
ATTN = (False, True)
LAYERS = 1
HEADS = 2
GROUPS = 4
CLAP = 6
IN_CH = 8
TEMB = 4 * CH[0]

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
        lin_p(prefix + '.time_emb_proj', cout, 2 * TEMB)   # [time_emb, class_emb]
        norm_p(prefix + '.norm2', cout)
        conv_p(prefix + '.conv2', cout, cout, 3)
        if cin != cout:
            conv_p(prefix + '.conv_shortcut', cout, cin, 1)

    def __call__(self, x, temb):
        p = self.p
        h = conv2d(silu(group_norm(x, P[p + '.norm1.weight'], P[p + '.norm1.bias'], 1e-5)), P[p + '.conv1.weight'], P[p + '.conv1.bias'])
        h = h + linear(silu(temb), p + '.time_emb_proj')[:, :, None, None]
        h = silu(group_norm(h, P[p + '.norm2.weight'], P[p + '.norm2.bias'], 1e-5))
        h = conv2d(h, P[p + '.conv2.weight'], P[p + '.conv2.bias'])
        if self.cin != self.cout:
            x = conv2d(x, P[p + '.conv_shortcut.weight'], P[p + '.conv_shortcut.bias'], pad=0)
        return x + h


def attention(x, ctx, prefix):
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
        for a, kv in (('attn1', c), ('attn2', c)):   # cross_attention_dim = the block's own width
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
        n2 = layer_norm(t, P[b + '.norm2.weight'], P[b + '.norm2.bias'])
        t = attention(n2, n2, b + '.attn2') + t   # no encoder_hidden_states: attn2 attends to its own input
        hs = linear(layer_norm(t, P[b + '.norm3.weight'], P[b + '.norm3.bias']), b + '.ff.net.0.proj')
        value, gate = hs[..., :4 * c], hs[..., 4 * c:]
        g = gelu(gate)
        GATES.append(g)
        t = linear(value * g, b + '.ff.net.2') + t
        t = t.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return conv2d(t, P[p + '.proj_out.weight'], P[p + '.proj_out.bias'], pad=0) + x


# diffusers UNet2DConditionModel.__init__ order: conv_in, time_embedding, down, mid, up, conv_norm_out, conv_out
conv_p('conv_in', CH[0], IN_CH, 3)
lin_p('time_embedding.linear_1', TEMB, CH[0])
lin_p('time_embedding.linear_2', TEMB, TEMB)
lin_p('class_embedding', TEMB, CLAP)
down = []
cin = CH[0]
for i, c in enumerate(CH):
    blk = {'res': [], 'attn': [], 'down': None}
    for j in range(LAYERS):
        blk['res'].append(Resnet(f'down_blocks.{i}.resnets.{j}', cin if j == 0 else c, c))
        if ATTN[i]:
            blk['attn'].append(Transformer2D(f'down_blocks.{i}.attentions.{j}', c))
    if i < len(CH) - 1:
        conv_p(f'down_blocks.{i}.downsamplers.0.conv', c, c, 3)
        blk['down'] = f'down_blocks.{i}.downsamplers.0.conv'
    down.append(blk)
    cin = c
mid_res0 = Resnet('mid_block.resnets.0', CH[-1], CH[-1])
mid_attn = Transformer2D('mid_block.attentions.0', CH[-1])
mid_res1 = Resnet('mid_block.resnets.1', CH[-1], CH[-1])
up = []
rev = list(reversed(CH))
rev_attn = list(reversed(ATTN))
prev = CH[-1]
for u, c in enumerate(rev):
    skip_in = rev[min(u + 1, len(CH) - 1)]
    blk = {'res': [], 'attn': [], 'up': None}
    for j in range(LAYERS + 1):
        res_skip = skip_in if j == LAYERS else c
        res_in = prev if j == 0 else c
        blk['res'].append(Resnet(f'up_blocks.{u}.resnets.{j}', res_in + res_skip, c))
        if rev_attn[u]:
            blk['attn'].append(Transformer2D(f'up_blocks.{u}.attentions.{j}', c))
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
    temb = np.concatenate([temb, linear(ctx, 'class_embedding')], 1)   # ctx: the (N, CLAP) class condition
    h = conv2d(x, P['conv_in.weight'], P['conv_in.bias'])
    skips = [h]
    for blk in down:
        for j in range(LAYERS):
            h = blk['res'][j](h, temb)
            if blk['attn']:
                h = blk['attn'][j](h, ctx)
            skips.append(h)
        if blk['down']:
            h = conv2d(h, P[blk['down'] + '.weight'], P[blk['down'] + '.bias'], stride=2, pad=1)
            skips.append(h)
    h = mid_res1(mid_attn(mid_res0(h, temb), ctx), temb)
    for blk in up:
        for j in range(LAYERS + 1):
            h = blk['res'][j](np.concatenate([h, skips.pop()], 1), temb)
            if blk['attn']:
                h = blk['attn'][j](h, ctx)
        if blk['up']:
            h = h.repeat(2, 2).repeat(2, 3)
            h = conv2d(h, P[blk['up'] + '.weight'], P[blk['up'] + '.bias'])
    assert not skips
    h = silu(group_norm(h, P['conv_norm_out.weight'], P['conv_norm_out.bias'], 1e-5))
    return conv2d(h, P['conv_out.weight'], P['conv_out.bias'])


# ---- CompVis (ldm openaimodel.UNetModel) names of the same modules ----
def compvis_names():
    m = {}

    def res(ldm, dif):
        for a, b in (('in_layers.0', 'norm1'), ('in_layers.2', 'conv1'), ('emb_layers.1', 'time_emb_proj'),
                     ('out_layers.0', 'norm2'), ('out_layers.3', 'conv2'), ('skip_connection', 'conv_shortcut')):
            for s in ('weight', 'bias'):
                if f'{dif}.{b}.{s}' in P:
                    m[f'{dif}.{b}.{s}'] = f'{ldm}.{a}.{s}'

    def attn(ldm, dif):
        for k in P:
            if k.startswith(dif + '.'):
                m[k] = ldm + k[len(dif):]

    for s in ('weight', 'bias'):
        m['conv_in.' + s] = 'input_blocks.0.0.' + s
        m['time_embedding.linear_1.' + s] = 'time_embed.0.' + s
        m['time_embedding.linear_2.' + s] = 'time_embed.2.' + s
        m['class_embedding.' + s] = 'film_emb.' + s
        m['conv_norm_out.' + s] = 'out.0.' + s
        m['conv_out.' + s] = 'out.2.' + s
    n = 1   # input_blocks[0] is conv_in; then per level: num_res_blocks x [ResBlock, SpatialTransformer?], Downsample
    for i in range(len(CH)):
        for j in range(LAYERS):
            res(f'input_blocks.{n}.0', f'down_blocks.{i}.resnets.{j}')
            if ATTN[i]:
                attn(f'input_blocks.{n}.1', f'down_blocks.{i}.attentions.{j}')
            n += 1
        if i < len(CH) - 1:
            for s in ('weight', 'bias'):
                m[f'down_blocks.{i}.downsamplers.0.conv.{s}'] = f'input_blocks.{n}.0.op.{s}'
            n += 1
    res('middle_block.0', 'mid_block.resnets.0')
    attn('middle_block.1', 'mid_block.attentions.0')
    res('middle_block.2', 'mid_block.resnets.1')
    n = 0   # output_blocks: per level (num_res_blocks + 1) x [ResBlock, SpatialTransformer?, Upsample on the last]
    for u in range(len(CH)):
        for j in range(LAYERS + 1):
            res(f'output_blocks.{n}.0', f'up_blocks.{u}.resnets.{j}')
            k = 1
            if rev_attn[u]:
                attn(f'output_blocks.{n}.1', f'up_blocks.{u}.attentions.{j}')
                k = 2
            if j == LAYERS and u < len(CH) - 1:
                for s in ('weight', 'bias'):
                    m[f'up_blocks.{u}.upsamplers.0.conv.{s}'] = f'output_blocks.{n}.{k}.conv.{s}'
            n += 1
    assert sorted(m) == sorted(P), set(P) ^ set(m)
    return m


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


def write_ckpt(fname, tensors, extra):
    storages, sd = [], collections.OrderedDict()
    for k, v in tensors.items():
        s = Storage(str(len(storages)), v.astype('<f4').tobytes(), v.size)
        storages.append(s)
        sd[k] = Tensor(s, v.shape)
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(dict({'state_dict': sd}, **extra))
    with zipfile.ZipFile(fname, 'w') as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/byteorder', 'little')
        for s in storages:
            z.writestr('archive/data/' + s.key, s.raw)
        z.writestr('archive/version', '3\n')


# ---- DDIM (AudioLDM scheduler_config: scaled_linear 0.0015..0.0195, 1000 steps, steps_offset 1, set_alpha_to_one False) ----
betas = np.linspace(0.0015 ** 0.5, 0.0195 ** 0.5, 1000) ** 2
alphas_cumprod = np.cumprod(1 - betas)


def ddim_cfg(xT, text, uncond, steps, scale=2.5):
    ratio = 1000 // steps
    timesteps = (np.arange(steps) * ratio)[::-1] + 1
    x = xT
    unit = lambda v: v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)   # F.normalize
    ctx = np.concatenate([unit(text), unit(uncond)], 0)   # the project's batch order: conditional rows first
    n = x.shape[0]
    for t in timesteps:
        eps2 = unet(np.concatenate([x, x], 0), np.full(2 * n, float(t)), ctx)
        e_c, e_u = eps2[:n], eps2[n:]
        eps = e_u + scale * (e_c - e_u)
        prev = t - ratio
        a_t = alphas_cumprod[t]
        a_prev = alphas_cumprod[prev] if prev >= 0 else alphas_cumprod[0]
        x0 = (x - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x


if __name__ == '__main__':
    f16 = lambda a: a.astype(np.float16).astype(np.float64)
    x = f16(rng.standard_normal((2, IN_CH, 8, 4)))
    t = np.array([981.0, 1.0])
    ctx = f16(rng.standard_normal((2, CLAP)))
    eps = unet(x, t, ctx)
    gates = [g.copy() for g in GATES]
    xT = f16(rng.standard_normal((1, IN_CH, 8, 4)))
    text = f16(rng.standard_normal((1, CLAP)))
    uncond = f16(rng.standard_normal((1, CLAP)))
    sample2 = ddim_cfg(xT, text, uncond, 2)

    write_safetensors('unet_diffusers.safetensors', P, 'F16')
    names = compvis_names()
    ldm = collections.OrderedDict(('model.diffusion_model.' + names[k], v) for k, v in P.items())
    ldm['first_stage_model.decoder.conv_in.weight'] = f16(rng.standard_normal((2, 2)))
    ldm['cond_stage_model.model.text_branch.embeddings.word_embeddings.weight'] = f16(rng.standard_normal(3))
    ldm['betas'] = betas
    ldm['alphas_cumprod'] = alphas_cumprod
    ldm['scale_factor'] = np.array(1.0)
    write_ckpt('unet_compvis.ckpt', ldm, {'global_step': 1})
    f32 = lambda a: np.asarray(a, dtype='<f4')
    np.savez('inputs.npz', x=f32(x), t=f32(t), clap=f32(ctx), xT=f32(xT), text=f32(text), uncond=f32(uncond))
    np.savez('expected.npz', eps=f32(eps), sample2=f32(sample2), **{f'gate{i}': f32(g) for i, g in enumerate(gates)})
    print('params', sum(v.size for v in P.values()), 'eps |max|', np.abs(eps).max(), 'sample2 |max|', np.abs(sample2).max(),
          'sites', [g.shape for g in gates])
