"""Float64 NumPy reference layers shared by the full-size fixture scripts (*/make_fixture*.py).

- f16, f32, randn: the values and weights the fixtures hold;
- layers: conv2d, group_norm, layer_norm, silu, gelu (exact erf), softmax, linear, diffusers' Attention
  (to_q/to_k/to_v/to_out.0), PyTorch's nn.MultiheadAttention (packed in_proj, batch-first), timestep_embedding;
- the UNet of diffusers' UNet2DConditionModel with SD 1.5's block types (CrossAttn/Down/Up blocks,
  ResnetBlock2D, Transformer2DModel with a GEGLU BasicTransformerBlock, conv down/upsamplers), read from
  huggingface/diffusers src/diffusers/models/unets/unet_2d_condition.py, unet_2d_blocks.py, resnet.py,
  transformers/transformer_2d.py, attention.py, attention_processor.py, embeddings.py; used by
  ../sd15, ../animatediff and ../audioldm, whose scripts say what each configures differently;
- compvis_names: the CompVis/stable-diffusion openaimodel.UNetModel names of that UNet's parameters;
- ddim_cfg: DDIMScheduler's "leading" steps (steps_offset 1, eta 0) with classifier-free guidance;
- posterior: GaussianDiffusion's q_posterior terms (DiT and MDM both use openai's gaussian_diffusion.py).

Each script imports this with two lines that put this folder on sys.path (so it runs from any directory):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: shared helpers
    from numpy_ref import ...
"""
import collections, math
import numpy as np


def f16(a):
    """The float64 value of a's float16 rounding (inputs and weights the runtime reads back exactly)."""
    return a.astype(np.float16).astype(np.float64)


def f32(a):
    return np.asarray(a, dtype='<f4')


def randn(rng, shape, fan_in):
    """A float32 weight, standard normal / sqrt(fan_in)."""
    return (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(np.float32)


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


def group_norm(x, g, b, eps, groups):
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


def gelu(x):   # F.gelu, exact
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def linear(x, W, prefix, bias=True):
    y = x @ W[prefix + '.weight'].T
    return y + W[prefix + '.bias'] if bias else y


def attention(x, ctx, W, prefix, heads):
    """diffusers Attention (AttnProcessor): bias-free to_q/to_k/to_v, heads split from the channels."""
    q = linear(x, W, prefix + '.to_q', bias=False)
    k = linear(ctx, W, prefix + '.to_k', bias=False)
    v = linear(ctx, W, prefix + '.to_v', bias=False)
    n, s, c = q.shape
    d = c // heads
    qh = q.reshape(n, s, heads, d).transpose(0, 2, 1, 3)
    kh = k.reshape(n, -1, heads, d).transpose(0, 2, 1, 3)
    vh = v.reshape(n, -1, heads, d).transpose(0, 2, 1, 3)
    o = softmax(qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(d)) @ vh
    return linear(o.transpose(0, 2, 1, 3).reshape(n, s, c), W, prefix + '.to_out.0')


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
    o = (softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)) @ v).transpose(0, 2, 1, 3).reshape(B, L, E)
    return o @ W[pre + '.out_proj.weight'].T + W[pre + '.out_proj.bias']


def timestep_embedding(t, dim, max_period=10000):
    """Sinusoidal timestep features [cos | sin] (flip_sin_to_cos True, downscale_freq_shift 0)."""
    half = dim // 2
    freqs = np.exp(-math.log(max_period) * np.arange(half, dtype=np.float64) / half)
    args = t[:, None].astype(np.float64) * freqs[None]
    return np.concatenate([np.cos(args), np.sin(args)], axis=-1)


# ---- the UNet: blocks declare their parameters in the model's construction order ----
class Params(collections.OrderedDict):
    """diffusers name -> float64 array, random and exact in float16, drawn from rng in declaration order."""

    def __init__(self, rng):
        super().__init__()
        self.rng = rng

    def param(self, name, *shape, kind='w'):
        if kind == 'w':
            fan_in = int(np.prod(shape[1:]))
            v = self.rng.standard_normal(shape) / math.sqrt(fan_in)
        elif kind == 'g':
            v = 1 + 0.2 * self.rng.standard_normal(shape)
        else:
            v = 0.2 * self.rng.standard_normal(shape)
        self[name] = f16(v)

    def conv(self, prefix, cout, cin, k):
        self.param(prefix + '.weight', cout, cin, k, k)
        self.param(prefix + '.bias', cout, kind='b')

    def lin(self, prefix, cout, cin, bias=True):
        self.param(prefix + '.weight', cout, cin)
        if bias:
            self.param(prefix + '.bias', cout, kind='b')

    def norm(self, prefix, c):
        self.param(prefix + '.weight', c, kind='g')
        self.param(prefix + '.bias', c, kind='b')


class Resnet:
    """ResnetBlock2D (GroupNorm eps 1e-5, time_emb_proj of temb_dim, 1x1 conv_shortcut when widths differ)."""

    def __init__(self, unet, prefix, cin, cout):
        self.u, self.p, self.cin, self.cout = unet, prefix, cin, cout
        P = unet.P
        P.norm(prefix + '.norm1', cin)
        P.conv(prefix + '.conv1', cout, cin, 3)
        P.lin(prefix + '.time_emb_proj', cout, unet.temb_dim)
        P.norm(prefix + '.norm2', cout)
        P.conv(prefix + '.conv2', cout, cout, 3)
        if cin != cout:
            P.conv(prefix + '.conv_shortcut', cout, cin, 1)

    def __call__(self, x, temb):
        p, P, norm = self.p, self.u.P, self.u.resnet_norm
        h = conv2d(silu(norm(x, P[p + '.norm1.weight'], P[p + '.norm1.bias'], 1e-5)), P[p + '.conv1.weight'], P[p + '.conv1.bias'])
        h = h + linear(silu(temb), P, p + '.time_emb_proj')[:, :, None, None]
        h = silu(norm(h, P[p + '.norm2.weight'], P[p + '.norm2.bias'], 1e-5))
        h = conv2d(h, P[p + '.conv2.weight'], P[p + '.conv2.bias'])
        if self.cin != self.cout:
            x = conv2d(x, P[p + '.conv_shortcut.weight'], P[p + '.conv_shortcut.bias'], pad=0)
        return x + h


class Transformer2D:
    """Transformer2DModel: GroupNorm (eps 1e-6), 1x1 proj_in, one BasicTransformerBlock (self attention,
    cross attention, GEGLU feed-forward), 1x1 proj_out, residual. Without a cross_attention_dim, attn2 has
    no encoder_hidden_states and attends to its own normed input."""

    def __init__(self, unet, prefix, c):
        self.u, self.p, self.c = unet, prefix, c
        P = unet.P
        P.norm(prefix + '.norm', c)
        P.conv(prefix + '.proj_in', c, c, 1)
        b = prefix + '.transformer_blocks.0'
        P.norm(b + '.norm1', c)
        for a, kv in (('attn1', c), ('attn2', unet.cross_dim or c)):
            if a == 'attn2':
                P.norm(b + '.norm2', c)
            P.lin(b + '.' + a + '.to_q', c, c, bias=False)
            P.lin(b + '.' + a + '.to_k', c, kv, bias=False)
            P.lin(b + '.' + a + '.to_v', c, kv, bias=False)
            P.lin(b + '.' + a + '.to_out.0', c, c)
        P.norm(b + '.norm3', c)
        P.lin(b + '.ff.net.0.proj', 8 * c, c)
        P.lin(b + '.ff.net.2', c, 4 * c)
        P.conv(prefix + '.proj_out', c, c, 1)

    def __call__(self, x, ctx):
        p, c, u = self.p, self.c, self.u
        P = u.P
        n, _, h, w = x.shape
        t = group_norm(x, P[p + '.norm.weight'], P[p + '.norm.bias'], 1e-6, u.groups)
        t = conv2d(t, P[p + '.proj_in.weight'], P[p + '.proj_in.bias'], pad=0)
        t = t.transpose(0, 2, 3, 1).reshape(n, h * w, c)
        b = p + '.transformer_blocks.0'
        n1 = layer_norm(t, P[b + '.norm1.weight'], P[b + '.norm1.bias'])
        heads = u.heads(c) if callable(u.heads) else u.heads
        t = attention(n1, n1, P, b + '.attn1', heads) + t
        n2 = layer_norm(t, P[b + '.norm2.weight'], P[b + '.norm2.bias'])
        t = attention(n2, n2 if ctx is None else ctx, P, b + '.attn2', heads) + t
        hs = linear(layer_norm(t, P[b + '.norm3.weight'], P[b + '.norm3.bias']), P, b + '.ff.net.0.proj')
        value, gate = hs[..., :4 * c], hs[..., 4 * c:]
        g = gelu(gate)
        u.gates.append(g)
        t = linear(value * g, P, b + '.ff.net.2') + t
        t = t.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return conv2d(t, P[p + '.proj_out.weight'], P[p + '.proj_out.bias'], pad=0) + x


class UNet:
    """UNet2DConditionModel, declared in __init__'s order: conv_in, time_embedding (, class_embedding),
    down blocks, mid block, up blocks, conv_norm_out, conv_out.

    ch / attn: block_out_channels and which levels have transformers (down order; the up blocks mirror it);
    heads: the head count of every transformer, or a function of its channels (CompVis' num_head_channels);
    cross_dim: cross_attention_dim, or None for no encoder_hidden_states; class_dim: class_embed_type
    "simple_projection" with class_embeddings_concat (resnets read [time_emb, class_emb]);
    resnet_norm(x, g, b, eps): the GroupNorm of the resnets and conv_norm_out (default: per image);
    motion(prefix, c): a module run after every resnet/transformer pair of the down and up blocks and after
    the mid transformer (AnimateDiff), declared where it stands; gates: gelu(gate) of every GEGLU in
    forward order, refilled by each call."""

    def __init__(self, P, ch, attn, layers, heads, groups, in_ch, cross_dim=None, class_dim=None,
                 resnet_norm=None, motion=None):
        self.P, self.ch, self.attn, self.layers, self.heads, self.groups = P, ch, attn, layers, heads, groups
        self.cross_dim, self.class_dim = cross_dim, class_dim
        self.resnet_norm = resnet_norm or (lambda x, g, b, eps: group_norm(x, g, b, eps, groups))
        self.gates = []
        temb = 4 * ch[0]
        self.temb_dim = 2 * temb if class_dim else temb
        none = lambda prefix, c: None
        motion = motion or none
        P.conv('conv_in', ch[0], in_ch, 3)
        P.lin('time_embedding.linear_1', temb, ch[0])
        P.lin('time_embedding.linear_2', temb, temb)
        if class_dim:
            P.lin('class_embedding', temb, class_dim)
        self.down = []
        cin = ch[0]
        for i, c in enumerate(ch):
            blk = {'res': [], 'attn': [], 'motion': [], 'down': None}
            for j in range(layers):
                blk['res'].append(Resnet(self, f'down_blocks.{i}.resnets.{j}', cin if j == 0 else c, c))
                if attn[i]:
                    blk['attn'].append(Transformer2D(self, f'down_blocks.{i}.attentions.{j}', c))
                blk['motion'].append(motion(f'down_blocks.{i}.motion_modules.{j}', c))
            if i < len(ch) - 1:
                P.conv(f'down_blocks.{i}.downsamplers.0.conv', c, c, 3)
                blk['down'] = f'down_blocks.{i}.downsamplers.0.conv'
            self.down.append(blk)
            cin = c
        self.mid_res0 = Resnet(self, 'mid_block.resnets.0', ch[-1], ch[-1])
        self.mid_attn = Transformer2D(self, 'mid_block.attentions.0', ch[-1])
        self.mid_motion = motion('mid_block.motion_modules.0', ch[-1])
        self.mid_res1 = Resnet(self, 'mid_block.resnets.1', ch[-1], ch[-1])
        self.up = []
        rev = list(reversed(ch))
        self.rev_attn = list(reversed(attn))
        prev = ch[-1]
        for u, c in enumerate(rev):
            skip_in = rev[min(u + 1, len(ch) - 1)]
            blk = {'res': [], 'attn': [], 'motion': [], 'up': None}
            for j in range(layers + 1):
                res_skip = skip_in if j == layers else c
                res_in = prev if j == 0 else c
                blk['res'].append(Resnet(self, f'up_blocks.{u}.resnets.{j}', res_in + res_skip, c))
                if self.rev_attn[u]:
                    blk['attn'].append(Transformer2D(self, f'up_blocks.{u}.attentions.{j}', c))
                blk['motion'].append(motion(f'up_blocks.{u}.motion_modules.{j}', c))
            if u < len(ch) - 1:
                P.conv(f'up_blocks.{u}.upsamplers.0.conv', c, c, 3)
                blk['up'] = f'up_blocks.{u}.upsamplers.0.conv'
            self.up.append(blk)
            prev = c
        P.norm('conv_norm_out', ch[0])
        P.conv('conv_out', in_ch, ch[0], 3)

    def __call__(self, x, t, ctx=None, class_labels=None):
        """x (N, in_ch, H, W), t (N,), ctx (N, tokens, cross_dim) or class_labels (N, class_dim) -> eps."""
        P = self.P
        self.gates.clear()
        temb = linear(silu(linear(timestep_embedding(t, self.ch[0]), P, 'time_embedding.linear_1')), P, 'time_embedding.linear_2')
        if self.class_dim:
            temb = np.concatenate([temb, linear(class_labels, P, 'class_embedding')], 1)
        h = conv2d(x, P['conv_in.weight'], P['conv_in.bias'])
        skips = [h]
        for blk in self.down:
            for j in range(self.layers):
                h = blk['res'][j](h, temb)
                if blk['attn']:
                    h = blk['attn'][j](h, ctx)
                if blk['motion'][j]:
                    h = blk['motion'][j](h)
                skips.append(h)
            if blk['down']:
                h = conv2d(h, P[blk['down'] + '.weight'], P[blk['down'] + '.bias'], stride=2, pad=1)
                skips.append(h)
        h = self.mid_attn(self.mid_res0(h, temb), ctx)
        if self.mid_motion:
            h = self.mid_motion(h)
        h = self.mid_res1(h, temb)
        for blk in self.up:
            for j in range(self.layers + 1):
                h = blk['res'][j](np.concatenate([h, skips.pop()], 1), temb)
                if blk['attn']:
                    h = blk['attn'][j](h, ctx)
                if blk['motion'][j]:
                    h = blk['motion'][j](h)
            if blk['up']:
                h = h.repeat(2, 2).repeat(2, 3)
                h = conv2d(h, P[blk['up'] + '.weight'], P[blk['up'] + '.bias'])
        assert not skips
        h = silu(self.resnet_norm(h, P['conv_norm_out.weight'], P['conv_norm_out.bias'], 1e-5))
        return conv2d(h, P['conv_out.weight'], P['conv_out.bias'])


def compvis_names(unet, extra=()):
    """diffusers name -> CompVis (ldm openaimodel.UNetModel) name of every parameter of unet, generated by
    walking UNetModel's construction order (input_blocks / middle_block / output_blocks); extra: more
    (diffusers module, CompVis module) pairs of weight + bias."""
    P, ch, layers = unet.P, unet.ch, unet.layers
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

    for dif, ldm in (('conv_in', 'input_blocks.0.0'), ('time_embedding.linear_1', 'time_embed.0'),
                     ('time_embedding.linear_2', 'time_embed.2'), ('conv_norm_out', 'out.0'), ('conv_out', 'out.2')) + tuple(extra):
        for s in ('weight', 'bias'):
            m[f'{dif}.{s}'] = f'{ldm}.{s}'
    n = 1   # input_blocks[0] is conv_in; then per level: num_res_blocks x [ResBlock, SpatialTransformer?], Downsample
    for i in range(len(ch)):
        for j in range(layers):
            res(f'input_blocks.{n}.0', f'down_blocks.{i}.resnets.{j}')
            if unet.attn[i]:
                attn(f'input_blocks.{n}.1', f'down_blocks.{i}.attentions.{j}')
            n += 1
        if i < len(ch) - 1:
            for s in ('weight', 'bias'):
                m[f'down_blocks.{i}.downsamplers.0.conv.{s}'] = f'input_blocks.{n}.0.op.{s}'
            n += 1
    res('middle_block.0', 'mid_block.resnets.0')
    attn('middle_block.1', 'mid_block.attentions.0')
    res('middle_block.2', 'mid_block.resnets.1')
    n = 0   # output_blocks: per level (num_res_blocks + 1) x [ResBlock, SpatialTransformer?, Upsample on the last]
    for u in range(len(ch)):
        for j in range(layers + 1):
            res(f'output_blocks.{n}.0', f'up_blocks.{u}.resnets.{j}')
            k = 1
            if unet.rev_attn[u]:
                attn(f'output_blocks.{n}.1', f'up_blocks.{u}.attentions.{j}')
                k = 2
            if j == layers and u < len(ch) - 1:
                for s in ('weight', 'bias'):
                    m[f'up_blocks.{u}.upsamplers.0.conv.{s}'] = f'output_blocks.{n}.{k}.conv.{s}'
            n += 1
    assert sorted(m) == sorted(P), set(P) ^ set(m)
    return m


def ddim_cfg(eps_fn, xT, cond, uncond, steps, scale, alphas_cumprod, final_alpha):
    """DDIMScheduler over 1000 training steps, "leading" spacing with steps_offset 1, eta 0, no clipping,
    guided as the pipelines do it: eps_fn(x, t, c) on [cond rows; uncond rows] (the project's batch order:
    conditional rows first); final_alpha: the alpha_cumprod past the last step (set_alpha_to_one)."""
    ratio = 1000 // steps
    timesteps = (np.arange(steps) * ratio)[::-1] + 1
    x = xT
    c = np.concatenate([cond, uncond], 0)
    n = x.shape[0]
    for t in timesteps:
        eps2 = eps_fn(np.concatenate([x, x], 0), np.full(2 * n, float(t)), c)
        e_c, e_u = eps2[:n], eps2[n:]
        eps = e_u + scale * (e_c - e_u)
        prev = t - ratio
        a_t = alphas_cumprod[t]
        a_prev = alphas_cumprod[prev] if prev >= 0 else final_alpha
        x0 = (x - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x


def posterior(betas):
    """GaussianDiffusion.__init__'s terms (openai improved/guided-diffusion gaussian_diffusion.py, which DiT and
    MDM carry): alphas_cumprod, posterior_log_variance_clipped, posterior_mean_coef1, posterior_mean_coef2."""
    acp = np.cumprod(1.0 - betas)
    acp_prev = np.append(1.0, acp[:-1])
    post_var = betas * (1.0 - acp_prev) / (1.0 - acp)
    post_log_clipped = np.log(np.append(post_var[1], post_var[1:]))
    coef1 = betas * np.sqrt(acp_prev) / (1.0 - acp)
    coef2 = (1.0 - acp_prev) * np.sqrt(1.0 - betas) / (1.0 - acp)
    return acp, post_log_clipped, coef1, coef2
