#!/usr/bin/env python3
"""Cross-check of the full-size fixtures against the OFFICIAL PyTorch code (optional; the tests never need it).

colsparse's tests compare the Java runtimes with independent NumPy implementations
(colsparse-models/src/test/resources/full/*/make_fixture*.py). This script closes the loop on the other side:
it loads each fixture checkpoint into the official model classes, runs them on the fixture's inputs and compares
with the same expected.npz. It needs PyTorch and, per workload, a checkout of the
official sources; workloads whose source is not given are skipped. docs/full-size.md gives the exact recipe it was
run with (Debian 12's python3-torch 1.13.1, the official commits below, about 20 s):

    PYTHONPATH=timm:einops:huggingface_hub/src /usr/bin/python3 bench/fullsize_crosscheck.py \
        --src dit=DiT --src mdm=motion-diffusion-model --src mld=motion-latent-diffusion \
        --src edge=EDGE --src diffusers=diffusers/src --src audioldm=AudioLDM

Sources (the repositories the fixture scripts cite): dit facebookresearch/DiT (imports timm), mdm
GuyTevet/motion-diffusion-model, mld ChenFengYe/motion-latent-diffusion, edge Stanford-TML/EDGE (imports einops),
diffusers huggingface/diffusers (its src/ folder, or "installed" for an installed diffusers; imports
huggingface_hub) for sd15, audioldm and animatediff's MotionAdapter, audioldm haoheliu/AudioLDM for the original
AudioLDM UNet (imports einops). timm, einops and huggingface_hub are pure Python and not packaged by Debian:
checkouts on PYTHONPATH serve.
Modules the official files import only for what these checks never run (CLIP and SMPL in MDM, rendering and
pytorch3d in EDGE, the text-to-audio pipeline that audioldm/__init__.py imports) are replaced by empty stand-ins;
so are safetensors where it is absent (Rust-built, not in Debian 12: a reader of the format stands in) and the
torch features that torch 1.13 lacks and diffusers 0.35 names at import (see torch_shims). torch 1.13's
baddbmm(beta=0) is routed around (see zeroed_baddbmm): without that the diffusers UNets give NaN in some runs.
A family whose official code does not import says NOT RUN with the reason, one that raises says ERROR; the others
still run.

What is compared (relative L2 error, float32 against the float64 NumPy reference; pass below 1e-4, 1e-3 for
the 50-step sampler):
  dit         DiT.forward on forward_x/t/y (strict load of dit_small.pt)
  mdm         MDM.forward, conditional and masked, at t = 999 (model.pt loaded as load_model_wo_clip does:
              the two pe keys deleted, nothing unexpected, nothing missing but clip_model.*)
  mld         MldDenoiser.forward (denoiser.* of mld_small.ckpt, strict)
  edge        DanceDecoder.forward conditional / unconditional at t = 999 (ema_state_dict, strict);
              GaussianDiffusion.long_ddim_sample on long_xT / long_music, torch's noise replaced by the
              fixture's step_noise formula; with_normalizer.pt loads with torch.load and holds the
              MinMaxScaler's tensors
  sd15        diffusers UNet2DConditionModel.forward (unet_diffusers.safetensors, strict)
  audioldm    diffusers UNet2DConditionModel (simple_projection class embedding) on unet_diffusers and
              two_widths_diffusers (eps_diffusers); the original openaimodel.UNetModel with
              num_head_channels on two_widths_compvis.ckpt (eps_original)
  animatediff diffusers MotionAdapter: strict load of mm_diffusers.safetensors (buffers included) and
              UNetMotionModel.forward against eps_diffusers, the text context repeated per frame as colsparse
              and diffusers >= 0.31 take it (a per-video context for diffusers < 0.31, which repeats it itself)
The reduced fixtures use 4 GroupNorm groups; where the original code hard-codes 32 (AudioLDM's openaimodel), its
normalization helpers are rebound to 4 groups, the only change made to official code.
Exit status: 0 when every check that ran passed, 1 otherwise (a family NOT RUN or in ERROR counts as failed).

Run against DiT ed81ce2, motion-diffusion-model d4fd88c, motion-latent-diffusion 081ce31, EDGE 17c3428,
AudioLDM 4054cb4 and diffusers v0.35.2 (b712696), with timm v0.6.13, einops v0.6.1, huggingface_hub v0.35.3.
"""
import argparse, contextlib, importlib, importlib.machinery, math, os, re, sys, time, types
import numpy as np

FULL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    'colsparse-models', 'src', 'test', 'resources', 'full')


def fixture(*path):
    return os.path.join(FULL, *path)


def npz(*path):
    with np.load(fixture(*path)) as d:
        return {k: d[k] for k in d.files}


def rel(actual, expected):
    a = np.asarray(actual, np.float64)
    e = np.asarray(expected, np.float64)
    assert a.shape == e.shape, f'shape {a.shape} != {e.shape}'
    return float(np.linalg.norm(a - e) / max(np.linalg.norm(e), 1e-30))


STUBBED = set()


def stub(name, force=False, **attrs):
    """The module `name`, or where it does not import (or force), an empty stand-in holding attrs; its parents are
    imported for real where they can be."""
    if not force:
        try:
            return importlib.import_module(name)
        except Exception:
            pass
    parts = name.split('.')
    for i in range(1, len(parts)):
        parent = '.'.join(parts[:i])
        if parent not in sys.modules:
            try:
                importlib.import_module(parent)
            except Exception:
                sys.modules[parent] = types.ModuleType(parent)
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    STUBBED.update('.'.join(parts[:i + 1]) for i in range(len(parts)))
    sys.modules[name] = mod
    if len(parts) > 1:
        setattr(sys.modules['.'.join(parts[:-1])], parts[-1], mod)
    return mod


@contextlib.contextmanager
def on_path(src):
    sys.path.insert(0, src)
    try:
        yield
    finally:
        sys.path.remove(src)


def torch_load(path):
    import torch
    try:
        return torch.load(path, map_location='cpu', weights_only=False)
    except TypeError:   # torch < 1.13 has no weights_only
        return torch.load(path, map_location='cpu')


def t32(a):
    import torch
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))


# ---------------------------------------------------------------- stand-ins for an older PyTorch
# Debian 12's python3-torch is 1.13.1; diffusers 0.35 names newer torch features at import time. Each stand-in below
# is installed only where the name is absent, and none of them is reached by the calls checked here: they only let
# the official modules import. They are the script's own code, never written into the official checkouts.
class AbsentDtype:
    """Placeholder for a dtype this torch lacks (float8, uint1..7): diffusers lists them in its quantizer tables;
    equal to nothing but itself, so no real dtype ever matches it."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f'torch.{self.name} (stand-in: absent in this torch)'


def torch_shims():
    """Adds the stand-ins where torch lacks them; returns the names added."""
    import torch
    added = []
    for name in ('float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz', 'float8_e5m2fnuz',
                 'uint1', 'uint2', 'uint3', 'uint4', 'uint5', 'uint6', 'uint7'):
        if not hasattr(torch, name):
            setattr(torch, name, AbsentDtype(name))
            added.append(f'torch.{name}')
    try:
        compiler = importlib.import_module('torch.compiler')
    except ImportError:
        compiler = types.ModuleType('torch.compiler')
        sys.modules['torch.compiler'] = torch.compiler = compiler
    if not hasattr(compiler, 'disable'):
        # both decorator forms diffusers uses: @torch.compiler.disable and @torch.compiler.disable()
        compiler.disable = lambda fn=None, recursive=True: fn if fn is not None else (lambda f: f)
        added.append('torch.compiler.disable')
    if not hasattr(compiler, 'is_compiling'):
        compiler.is_compiling = lambda: False
        added.append('torch.compiler.is_compiling')
    return added


def zeroed_baddbmm():
    """torch.baddbmm(input, b1, b2, beta=0, alpha=a) computed as baddbmm(zeros, b1, b2, beta=1, alpha=a): the same
    value, 0 + a * (b1 @ b2). diffusers' Attention.get_attention_scores passes beta = 0 (with a torch.empty input,
    which torch's contract says is ignored). On small matrices torch 1.13's CPU kernel then reads its freshly
    allocated, uninitialised result (it skips copying the input there but still adds result * beta), so whatever that
    memory held leaks in, NaN * 0 being NaN; a zeroed input does not help, beta = 1 copies it first. Without this the
    diffusers checks gave NaN (AnimateDiff's UNetMotionModel) in 40 of 40 runs here, 18 of 40 in issue 22."""
    import torch
    baddbmm = torch.baddbmm
    if getattr(baddbmm, 'beta_0_as_zeros', False):
        return

    def patched(input, batch1, batch2, *, beta=1, alpha=1, out=None):
        if beta == 0:
            input, beta = torch.zeros_like(input), 1
        return baddbmm(input, batch1, batch2, beta=beta, alpha=alpha, out=out)

    patched.beta_0_as_zeros = True
    torch.baddbmm = patched


SAFETENSORS_DTYPES = {'F64': np.float64, 'F32': np.float32, 'F16': np.float16, 'I64': np.int64, 'I32': np.int32,
                      'I16': np.int16, 'I8': np.int8, 'U8': np.uint8, 'BOOL': np.bool_}


def safetensors_load_file(path, device='cpu'):
    """safetensors.torch.load_file for the fixtures (the format: a little-endian u64 header length, a JSON header of
    name -> dtype / shape / data_offsets, then the data)."""
    import json, torch
    with open(path, 'rb') as f:
        n = int.from_bytes(f.read(8), 'little')
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        a = np.frombuffer(data[begin:end], dtype=SAFETENSORS_DTYPES[info['dtype']]).reshape(info['shape'])
        out[name] = torch.from_numpy(a.copy())
    return out


def safetensors_stand_in():
    """Where the safetensors package is absent (Debian 12 has none; its wheel is Rust-built): a module holding
    safetensors.torch.load_file only, enough for diffusers' `import safetensors` and for reading the fixtures.
    diffusers still sees no safetensors distribution, so none of its own loading paths use it."""
    try:
        importlib.import_module('safetensors.torch')
        return False
    except ImportError:
        pass
    from importlib.machinery import ModuleSpec
    root = stub('safetensors', force=True)
    root.__spec__ = ModuleSpec('safetensors', None)
    sub = stub('safetensors.torch', force=True, load_file=safetensors_load_file)
    sub.__spec__ = ModuleSpec('safetensors.torch', None)
    return True


# ---------------------------------------------------------------- dit
def check_dit(src):
    import torch
    with on_path(src):
        from models import DiT
    exp = npz('dit', 'expected.npz')
    model = DiT(input_size=8, patch_size=2, in_channels=4, hidden_size=48, depth=2, num_heads=4, mlp_ratio=4.0,
                class_dropout_prob=0.1, num_classes=10, learn_sigma=True)
    model.load_state_dict(torch_load(fixture('dit', 'dit_small.pt')), strict=True)
    model.eval()
    with torch.no_grad():
        out = model(t32(exp['forward_x']), torch.from_numpy(exp['forward_t']), torch.from_numpy(exp['forward_y']))
    return [('DiT.forward', rel(out.numpy(), exp['forward_out']), 1e-4)]


# ---------------------------------------------------------------- mdm
def check_mdm(src):
    import torch
    import torch.nn as nn
    stub('clip')
    with on_path(src):
        # SMPL forward kinematics, built in MDM.__init__ from body-model files: never used by the denoiser
        stub('model.rotation2xyz', force=True, JOINTSTYPES=[],
             Rotation2xyz=lambda device, dataset='amass': types.SimpleNamespace(smpl_model=nn.Module()))
        stub('model.BERT.BERT_encoder', load_bert=None)
        from model.mdm import MDM
    MDM.load_and_freeze_clip = lambda self, version: None   # the CLIP text encoder: its output is the fixture's text
    exp = npz('mdm', 'expected.npz')
    model = MDM(modeltype='', njoints=263, nfeats=1, num_actions=1, translation=True, pose_rep='rot6d', glob=True,
                glob_rot=True, latent_dim=32, ff_size=64, num_layers=2, num_heads=4, dropout=0.0, activation='gelu',
                data_rep='hml_vec', cond_mode='text', dataset='humanml', clip_dim=16, arch='trans_enc',
                clip_version='ViT-B/32')
    state = torch_load(fixture('mdm', 'model.pt'))
    del state['sequence_pos_encoder.pe']                # utils/model_util.py load_model_wo_clip
    del state['embed_timestep.sequence_pos_encoder.pe']
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected, f'unexpected keys {unexpected}'
    assert all(k.startswith('clip_model.') or 'sequence_pos_encoder' in k for k in missing), f'missing keys {missing}'
    model.eval()
    B, F, C = exp['x'].shape
    x = t32(exp['x']).reshape(B, F, C, 1).permute(0, 2, 3, 1)           # (B, 263, 1, frames)
    y = {'text_embed': t32(exp['text'])[None], 'mask': torch.ones(B, 1, 1, F, dtype=torch.bool)}
    flat = lambda o: o.permute(0, 3, 1, 2).reshape(B, F, C).numpy()
    with torch.no_grad():
        cond = model(x, torch.full((B,), 999), dict(y))
        unc = model(x, torch.full((B,), 999), dict(y, uncond=True))
    return [('MDM.forward conditional', rel(flat(cond), exp['cond_999']), 1e-4),
            ('MDM.forward unconditional', rel(flat(unc), exp['uncond_999']), 1e-4)]


# ---------------------------------------------------------------- mld
def check_mld(src):
    import torch
    with on_path(src):
        from mld.models.architectures.mld_denoiser import MldDenoiser
    exp = npz('mld', 'expected.npz')
    ablation = types.SimpleNamespace(SKIP_CONNECT=True, VAE_TYPE='mld', DIFF_PE_TYPE='mld')
    model = MldDenoiser(ablation, nfeats=263, condition='text', latent_dim=[1, 32], ff_size=128, num_layers=5,
                        num_heads=4, dropout=0.0, normalize_before=False, activation='gelu', flip_sin_to_cos=True,
                        position_embedding='learned', arch='trans_enc', freq_shift=0, text_encoded_dim=24)
    ckpt = torch_load(fixture('mld', 'mld_small.ckpt'))
    state = {k[len('denoiser.'):]: v for k, v in ckpt['state_dict'].items() if k.startswith('denoiser.')}
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        out = model(t32(exp['forward_x']), torch.from_numpy(exp['forward_t']), t32(exp['forward_text'])[:, None])[0]
    return [('MldDenoiser.forward', rel(out.numpy(), exp['forward_out']), 1e-4)]


# ---------------------------------------------------------------- edge
def step_noise(step, shape):
    """edge/make_fixtures.py step_noise: the noise of DDIM step `step` (0 = the step from t = 999)."""
    return (1.4 * np.sin(0.37 * np.arange(np.prod(shape)) + 1.3 * step)).astype(np.float32).reshape(shape)


def check_edge(src):
    import torch
    import torch.nn.functional as F
    with on_path(src):
        stub('tqdm', tqdm=lambda items, **kw: items)
        stub('p_tqdm', p_map=None)
        stub('pytorch3d.transforms', axis_angle_to_quaternion=None, quaternion_to_axis_angle=None)   # FK and rendering only
        stub('dataset.quaternion', ax_from_6v=None, quat_slerp=None)
        stub('vis', skeleton_render=None)
        from model.model import DanceDecoder
        from model.diffusion import GaussianDiffusion
    exp = npz('edge', 'expected.npz')
    model = DanceDecoder(nfeats=151, seq_len=12, latent_dim=32, ff_size=64, num_layers=2, num_heads=4, dropout=0.0,
                         cond_feature_dim=24, activation=F.gelu)
    model.load_state_dict(torch_load(fixture('edge', 'checkpoint.pt'))['ema_state_dict'], strict=True)
    model.eval()
    x, music, t = t32(exp['x']), t32(exp['music']), torch.full((2,), 999)
    with torch.no_grad():
        cond = model(x, music, t, cond_drop_prob=0)
        unc = model(x, music, t, cond_drop_prob=1)
    out = [('DanceDecoder.forward conditional', rel(cond.numpy(), exp['cond_999']), 1e-4),
           ('DanceDecoder.forward unconditional', rel(unc.numpy(), exp['uncond_999']), 1e-4)]
    # EDGE.py's diffusion as it builds it, sampled by render_sample(mode="long")'s long_ddim_sample
    diffusion = GaussianDiffusion(model, 12, 151, None, schedule='cosine', n_timestep=1000, predict_epsilon=False,
                                  loss_type='l2', use_p2=False, cond_drop_prob=0.25, guidance_weight=2)
    diffusion.model = model
    diffusion.eval()
    drawn = []
    randn, randn_like = torch.randn, torch.randn_like
    torch.randn = lambda *shape, **kw: t32(exp['long_xT'])
    torch.randn_like = lambda a, **kw: (drawn.append(1), t32(step_noise(len(drawn) - 1, tuple(a.shape))))[1]
    try:
        with torch.no_grad():
            sample = diffusion.long_ddim_sample((3, 12, 151), t32(exp['long_music']))
    finally:
        torch.randn, torch.randn_like = randn, randn_like
    out.append(('GaussianDiffusion.long_ddim_sample, 50 steps', rel(sample.numpy(), exp['long_x']), 1e-3))
    # the official checkpoint's normalizer: a Normalizer whose MinMaxScaler holds tensors
    with on_path(src):
        try:
            importlib.import_module('dataset.preprocess')
        except Exception as e:
            print(f'  edge: with_normalizer.pt not checked ({e})')
            return out
        saved = torch_load(fixture('edge', 'with_normalizer.pt'))
    scaler = saved['normalizer'].scaler
    names = ('scale_', 'min_', 'data_min_', 'data_max_', 'data_range_')
    ok = all(isinstance(getattr(scaler, n), torch.Tensor) and tuple(getattr(scaler, n).shape) == (151,) for n in names)
    out.append(('with_normalizer.pt: Normalizer.scaler holds its 5 statistics as tensors', 0.0 if ok else 1.0, 0.5))
    return out


# ---------------------------------------------------------------- diffusers UNets
def diffusers_import(src):
    if src != 'installed':
        sys.path.insert(0, src)
    safetensors_stand_in()
    import diffusers
    from safetensors.torch import load_file
    return diffusers, load_file


def version(text):
    return tuple(int(part) for part in re.findall(r'\d+', text)[:2])


def unet_config(ch, attn, cross, **extra):
    down = ['CrossAttnDownBlock2D' if a else 'DownBlock2D' for a in attn]
    up = ['CrossAttnUpBlock2D' if a else 'UpBlock2D' for a in reversed(attn)]
    return dict(sample_size=8, block_out_channels=tuple(ch), down_block_types=tuple(down), up_block_types=tuple(up),
                layers_per_block=1, norm_num_groups=4, attention_head_dim=2, cross_attention_dim=cross, **extra)


def check_sd15(src):
    import torch
    diffusers, load_file = diffusers_import(src)
    unet = diffusers.UNet2DConditionModel(in_channels=4, out_channels=4, **unet_config((8, 16), (True, False), 8))
    unet.load_state_dict(load_file(fixture('sd15', 'unet_diffusers.safetensors')), strict=True)
    unet.float().eval()
    inp, exp = npz('sd15', 'inputs.npz'), npz('sd15', 'expected.npz')
    with torch.no_grad():
        eps = unet(t32(inp['x']), t32(inp['t']), encoder_hidden_states=t32(inp['context'])).sample
    return [('UNet2DConditionModel.forward (sd15)', rel(eps.numpy(), exp['eps']), 1e-4)]


def audioldm_unet(diffusers, ch, attn):
    # convert_original_audioldm_to_diffusers.py: CLAP through class_embedding, concatenated; cross_attention_dim =
    # block_out_channels with no encoder_hidden_states
    return diffusers.UNet2DConditionModel(in_channels=8, out_channels=8, **unet_config(
        ch, attn, tuple(ch), class_embed_type='simple_projection', projection_class_embeddings_input_dim=6,
        class_embeddings_concat=True))


def check_audioldm_diffusers(src):
    import torch
    diffusers, load_file = diffusers_import(src)
    inp = npz('audioldm', 'inputs.npz')
    out = []
    for ch, attn, weights, expected, key in (((8, 16), (False, True), 'unet_diffusers.safetensors', 'expected.npz', 'eps'),
                                             ((8, 16), (True, True), 'two_widths_diffusers.safetensors',
                                              'two_widths_expected.npz', 'eps_diffusers')):
        unet = audioldm_unet(diffusers, ch, attn)
        unet.load_state_dict(load_file(fixture('audioldm', weights)), strict=True)
        unet.float().eval()
        with torch.no_grad():
            eps = unet(t32(inp['x']), t32(inp['t']), encoder_hidden_states=None, class_labels=t32(inp['clap'])).sample
        out.append((f'UNet2DConditionModel.forward ({weights})', rel(eps.numpy(), npz('audioldm', expected)[key]), 1e-4))
    return out


def check_audioldm_original(src):
    import torch
    # audioldm/__init__.py imports the whole text-to-audio pipeline (CLAP, the VAE, HiFi-GAN, soundfile, librosa):
    # the package stands in as a bare namespace over its folder, so only latent_diffusion/*.py run, and
    # audioldm/utils.py (soundfile, progressbar) gives util.py the one name it imports, never called here
    package = stub('audioldm', force=True, __path__=[os.path.join(src, 'audioldm')])
    package.__spec__ = importlib.machinery.ModuleSpec('audioldm', None, is_package=True)
    package.__spec__.submodule_search_locations = package.__path__
    stub('audioldm.utils', force=True, instantiate_from_config=None)
    util = importlib.import_module('audioldm.latent_diffusion.util')
    attention = importlib.import_module('audioldm.latent_diffusion.attention')
    openaimodel = importlib.import_module('audioldm.latent_diffusion.openaimodel')
    # the reduced fixture's 4 groups where the original hard-codes 32 (eps as each helper has it)
    openaimodel.normalization = lambda c: util.GroupNorm32(4, c)
    attention.Normalize = lambda c: torch.nn.GroupNorm(num_groups=4, num_channels=c, eps=1e-6, affine=True)
    # audioldm/utils.py default_audioldm_config at the reduced size: heads of num_head_channels (4 here, 32 there)
    unet = openaimodel.UNetModel(image_size=8, extra_film_condition_dim=6, extra_film_use_concat=True, in_channels=8,
                                 out_channels=8, model_channels=8, attention_resolutions=[1, 2], num_res_blocks=1,
                                 channel_mult=[1, 2], num_head_channels=4, use_spatial_transformer=True)
    ckpt = torch_load(fixture('audioldm', 'two_widths_compvis.ckpt'))
    prefix = 'model.diffusion_model.'
    unet.load_state_dict({k[len(prefix):]: v for k, v in ckpt['state_dict'].items() if k.startswith(prefix)}, strict=True)
    unet.eval()
    inp = npz('audioldm', 'inputs.npz')
    with torch.no_grad():
        eps = unet(t32(inp['x']), t32(inp['t']), y=t32(inp['clap']))
    return [('openaimodel.UNetModel.forward (two_widths_compvis.ckpt, original heads)',
             rel(eps.numpy(), npz('audioldm', 'two_widths_expected.npz')['eps_original']), 1e-4)]


def check_animatediff(src):
    import torch
    diffusers, load_file = diffusers_import(src)
    adapter = diffusers.MotionAdapter(block_out_channels=(8, 16), motion_layers_per_block=1,
                                      motion_mid_block_layers_per_block=1, motion_num_attention_heads=2,
                                      motion_norm_num_groups=4, motion_max_seq_length=32, use_motion_mid_block=True)
    missing, unexpected = adapter.load_state_dict(load_file(fixture('animatediff', 'mm_diffusers.safetensors')), strict=False)
    out = [('MotionAdapter strict load (missing + unexpected keys)', float(len(missing) + len(unexpected)), 0.5)]
    if missing or unexpected:
        print(f'  missing {missing}\n  unexpected {unexpected}')
        return out
    unet2d = diffusers.UNet2DConditionModel(in_channels=4, out_channels=4, **unet_config((8, 16), (True, False), 8))
    unet2d.load_state_dict(load_file(fixture('animatediff', 'unet.safetensors')), strict=True)
    unet = diffusers.UNetMotionModel.from_unet2d(unet2d, adapter).float().eval()
    inp, exp = npz('animatediff', 'inputs.npz'), npz('animatediff', 'expected.npz')
    frames = 4
    x = t32(inp['x']).reshape(2, frames, 4, 8, 8).permute(0, 2, 1, 3, 4)   # (b f) c h w -> b c f h w
    # The fixture's context is (b f) rows, each video's text repeated for every frame, as colsparse and the original
    # AnimateDiff feed the cross-attention. diffusers >= 0.31 takes it so (its pipeline repeats prompt_embeds per
    # frame); before 0.31 UNetMotionModel.forward repeated a per-video context itself, so it gets every f-th row.
    per_frame = version(diffusers.__version__) >= (0, 31)
    context = inp['context'] if per_frame else inp['context'][::frames]
    with torch.no_grad():
        eps = unet(x, t32(inp['t'][::frames]), encoder_hidden_states=t32(context)).sample
    eps = eps.permute(0, 2, 1, 3, 4).reshape(2 * frames, 4, 8, 8)
    out.append((f'UNetMotionModel.forward (MotionAdapter, {"per-frame" if per_frame else "per-video"} context)',
                rel(eps.numpy(), exp['eps_diffusers']), 1e-4))
    return out


# Pure-Python packages the official code imports that Debian 12 does not package: a checkout on PYTHONPATH serves
MISSING_HINTS = {
    'timm': ' (DiT imports timm, not packaged by Debian: put a checkout of huggingface/pytorch-image-models v0.6.13 '
            'on PYTHONPATH)',
    'einops': ' (not packaged by Debian: put a checkout of arogozhnikov/einops v0.6.1 on PYTHONPATH)',
    'huggingface_hub': ' (diffusers imports it, not packaged by Debian: put huggingface/huggingface_hub v0.35.3\'s '
                       'src/ on PYTHONPATH)',
}

CHECKS = [('dit', 'dit', check_dit), ('mdm', 'mdm', check_mdm), ('mld', 'mld', check_mld), ('edge', 'edge', check_edge),
          ('sd15', 'diffusers', check_sd15), ('audioldm (diffusers)', 'diffusers', check_audioldm_diffusers),
          ('audioldm (original)', 'audioldm', check_audioldm_original), ('animatediff', 'diffusers', check_animatediff)]


def main():
    parser = argparse.ArgumentParser(
        description='Loads the full-size fixtures into the official PyTorch classes and compares with expected.npz.')
    parser.add_argument('--src', action='append', default=[], metavar='NAME=DIR',
                        help='official source checkout: ' + ', '.join(sorted({s for _, s, _ in CHECKS})))
    args = parser.parse_args()
    sources = {}
    for item in args.src:
        name, _, path = item.partition('=')
        if name not in {s for _, s, _ in CHECKS} or not path:
            parser.error(f'--src {item}: expected NAME=DIR with NAME one of {sorted({s for _, s, _ in CHECKS})}')
        sources[name] = path if path == 'installed' else os.path.abspath(os.path.expanduser(path))
    try:
        import torch
    except ImportError:
        print(f'PyTorch is not installed for {sys.executable} (Debian: apt install python3-torch, '
              'then run /usr/bin/python3): nothing checked')
        return 0
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)
    added = torch_shims()
    zeroed_baddbmm()
    print(f'torch {torch.__version__}; stand-ins: {", ".join(added) or "none needed"}; '
          'baddbmm(beta=0) as baddbmm(zeros, beta=1)')
    failed = False
    started = time.perf_counter()
    for label, source, check in CHECKS:
        if source not in sources:
            print(f'{label}: skipped (no --src {source}=DIR)')
            continue
        loaded = set(sys.modules)
        try:
            results = check(sources[source])
        except Exception as e:
            if isinstance(e, ImportError):
                hint = MISSING_HINTS.get((e.name or '').split('.')[0], '')
                print(f'{label}: NOT RUN, {type(e).__name__}: {e}{hint}')
            else:
                print(f'{label}: ERROR {type(e).__name__}: {e}')
            failed = True
            continue
        finally:
            # MDM and EDGE both have a top-level "model": forget each source's modules and stand-ins
            src = sources[source]
            tops = set(os.listdir(src)) if os.path.isdir(src) else set()
            for name in set(sys.modules) - loaded:
                where = getattr(sys.modules[name], '__file__', None) or ''
                top = name.split('.')[0]
                if where.startswith(src) or top in tops or top + '.py' in tops or name in STUBBED:
                    del sys.modules[name]
            if sources[source] in sys.path:
                sys.path.remove(sources[source])
        for what, err, limit in results:
            ok = err < limit and math.isfinite(err)
            failed |= not ok
            print(f'{label}: {what}: {err:.3g} ({"ok" if ok else "FAIL"}, limit {limit:g})')
    print(f'{time.perf_counter() - started:.1f} s')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
