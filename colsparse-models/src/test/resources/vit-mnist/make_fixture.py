"""Independent float64 NumPy reference for vit-mnist, written from its author's source
(github.com/sofia-dominguezc/MNIST-diffusion @ 88bc058: diffusion/architecture.py `DiffusionViT`,
generate.py `SDESolver`), not from colsparse's Java code. Writes expected.npz for VitMnistTest.

    python3 make_fixture.py        # from any directory; reads ../../../../../models/vit-mnist/DiffusionViT.pth

The checkpoint is read without torch: a .pth is a zip of raw little-endian storages plus data.pkl,
unpickled here with an allow-list (OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage),
so nothing in the file can run code.
"""
import collections, os, pickle, zipfile
from math import erf, log
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PTH = os.path.join(HERE, '..', '..', '..', '..', '..', 'models', 'vit-mnist', 'DiffusionViT.pth')
DIM, HEADS, LAYERS, PATCH, CLASSES = 64, 4, 4, 7, 10


def load_pth(path):
    z = zipfile.ZipFile(path)
    pkl = [n for n in z.namelist() if n.endswith('/data.pkl')][0]
    root = pkl[:-len('data.pkl')]

    def rebuild(storage, offset, shape, stride, *_):
        a = np.lib.stride_tricks.as_strided(storage[offset:], shape, [s * 4 for s in stride])
        return np.array(a, dtype=np.float64)

    class Restricted(pickle.Unpickler):
        def find_class(self, module, name):
            allowed = {('collections', 'OrderedDict'): collections.OrderedDict,
                       ('torch._utils', '_rebuild_tensor_v2'): rebuild,
                       ('torch', 'FloatStorage'): 'float32'}
            if (module, name) not in allowed:
                raise pickle.UnpicklingError('refused %s.%s' % (module, name))
            return allowed[(module, name)]

        def persistent_load(self, pid):
            _, kind, key, _, _ = pid
            assert kind == 'float32', kind
            return np.frombuffer(z.read(root + 'data/' + key), dtype='<f4')

    return dict(Restricted(z.open(pkl)).load())


W = load_pth(PTH)


def gelu(x):   # nn.TransformerEncoderLayer(activation="gelu") is F.gelu: exact, erf
    return 0.5 * x * (1 + np.vectorize(erf)(x / np.sqrt(2)))


def layer_norm(x, g, b, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def mha(x, p):   # nn.MultiheadAttention, batch_first, self-attention, no mask
    B, S, D = x.shape
    d = D // HEADS
    qkv = x @ W[p + 'in_proj_weight'].T + W[p + 'in_proj_bias']
    q, k, v = (qkv[..., i * D:(i + 1) * D].reshape(B, S, HEADS, d).transpose(0, 2, 1, 3) for i in range(3))
    a = softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)) @ v
    return a.transpose(0, 2, 1, 3).reshape(B, S, D) @ W[p + 'out_proj.weight'].T + W[p + 'out_proj.bias']


def encoder_layer(x, i, gelus):   # post-LN (norm_first=False), eval mode: dropout is the identity
    p = 'transformer.%d.' % i
    x = layer_norm(x + mha(x, p + 'self_attn.'), W[p + 'norm1.weight'], W[p + 'norm1.bias'])
    h = gelu(x @ W[p + 'linear1.weight'].T + W[p + 'linear1.bias'])
    gelus.append(h)
    return layer_norm(x + h @ W[p + 'linear2.weight'].T + W[p + 'linear2.bias'], W[p + 'norm2.weight'], W[p + 'norm2.bias'])


def sinusoidal(t, dim):
    half = dim // 2
    freqs = np.exp(np.arange(half) * -(log(10000.0) / (half - 1)))
    e = t[:, None] * freqs[None, :]
    return np.concatenate([np.sin(e), np.cos(e)], -1)


def forward(x, t, y, gelus=None):
    """x (B,1,28,28), t (B,), y (B,) ints with -1 = no label -> the model's x1 prediction (B,1,28,28)."""
    gelus = [] if gelus is None else gelus
    B = x.shape[0]
    n = 28 // PATCH
    # Conv2d(1, 64, 7, stride 7): each 7x7 patch dotted with each filter
    patches = x.reshape(B, n, PATCH, n, PATCH).transpose(0, 1, 3, 2, 4).reshape(B, n * n, PATCH * PATCH)
    tok = patches @ W['patch_embed.weight'].reshape(DIM, -1).T + W['patch_embed.bias']   # (B,16,64), h-major
    tok = tok + W['pos_embed']
    t_emb = sinusoidal(t, 2 * DIM).reshape(B, 2, DIM)
    y_emb = W['y_encoder.weight'][np.where(y == -1, CLASSES, y)].reshape(B, 2, DIM)
    h = np.concatenate([tok, t_emb, y_emb], 1)
    for i in range(LAYERS):
        h = encoder_layer(h, i, gelus)
    h = h[:, :-4, :]
    # ConvTranspose2d(64, 1, 7, stride 7): kernel = stride, so each token paints its own 7x7 patch
    out = h @ W['unpatch.weight'].reshape(DIM, -1) + W['unpatch.bias']
    return out.reshape(B, n, n, PATCH, PATCH).transpose(0, 1, 3, 2, 4).reshape(B, 1, 28, 28)


def solve(x0, labels, steps, noises, weight=2.0, cfg_start=0.3, cfg_end=0.7, diffusion=1.0):
    """generate.py's SDESolver.solve from t0 = 0 to t1 = 1 (sign +1); returns every intermediate x."""
    T = np.linspace(0, 1, steps + 1)
    x, xs = x0, []
    no_y = -np.ones_like(labels)
    for i in range(steps):
        t, dt = T[i], T[i + 1] - T[i]
        tt = np.full(x.shape[0], t)
        cond = (forward(x, tt, labels) - x) / (1 - t)
        uncond = (forward(x, tt, no_y) - x) / (1 - t)
        w = weight if cfg_start < t < cfg_end else 1.0
        flow = w * cond + (1 - w) * uncond
        score = diffusion * (t * flow - x)
        f = flow + 0.5 * (diffusion * (1 - t)) ** 2 * score
        x = x + f * dt + diffusion * (1 - t) * np.sqrt(abs(dt)) * noises[i]
        xs.append(x)
    return np.stack(xs)


def test_input(b):
    r, c = np.meshgrid(np.arange(28), np.arange(28), indexing='ij')
    return np.stack([0.8 * np.sin(0.37 * r + 0.11 * c + i) for i in range(b)])[:, None]


if __name__ == '__main__':
    x = test_input(2)
    cases = [(0.0, [3, -1]), (0.5, [7, 0]), (0.96, [-1, 9])]
    out = {}
    for i, (t, y) in enumerate(cases):
        gelus = []
        out['forward_%d' % i] = forward(x, np.full(2, t), np.array(y), gelus)
        if i == 1:
            out['gelu0'] = gelus[0][0]   # layer 0's site for sample 0 at t = 0.5: its 20 token rows x 256 channels
    out['forward_t'] = np.array([c[0] for c in cases])
    out['forward_y'] = np.array([c[1] for c in cases], dtype=np.float64)
    # five steps put t = 0.4 and 0.6 inside the guidance window; float32 noise is what the Java side feeds in;
    # image k asks for digit k % 10 as generate.py's sample() grid does
    rng = np.random.default_rng(14)
    steps, labels = 5, np.arange(2) % 10
    noise = rng.standard_normal((steps + 1, 2, 1, 28, 28)).astype(np.float32)
    out['sampler_noise'] = noise
    out['sampler_labels'] = labels.astype(np.float64)
    out['sampler_x'] = solve(noise[0].astype(np.float64), labels, steps, noise[1:].astype(np.float64))
    # generate.py's command line (--diffusion 0.0 by default): the same solver, its noise and score terms zero
    out['sampler_ode_x'] = solve(noise[0].astype(np.float64), labels, steps, noise[1:].astype(np.float64), diffusion=0.0)
    np.savez_compressed(os.path.join(HERE, 'expected.npz'), **out)
    for k, v in out.items():
        print(k, v.shape, float(np.abs(v).sum()))
