"""Writes training_checkpoint.pth: the shipped ddpm-mnist weights (models/ddpm-mnist/ddpm_mnist.pth,
MIT, see models/ddpm-mnist/LICENSE) re-saved the way training scripts save a checkpoint, for
DdpmMnistTest. The network's weights are copied unchanged, under `model_state_dict.` with the module's
own `gt.` names; the schedule buffers `beta_t` / `alpha_t` are left out (a module that keeps its
schedule outside the state dict); beside them go an epoch, an Adam optimizer state and loss lists of
numpy scalars, which a checkpoint reader has to step over without building them.

    python3 make_training_checkpoint.py     # from any directory; needs torch and numpy (Debian: python3-torch python3-numpy)

The optimizer covers the time MLP only, so the fixture stays small; its one step has zero gradients,
so it changes no weight (and the saved weights are the copies taken before it anyway).
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
PLAIN = os.path.join(HERE, '..', '..', '..', '..', '..', 'models', 'ddpm-mnist', 'ddpm_mnist.pth')
OUT = os.path.join(HERE, 'training_checkpoint.pth')

state = torch.load(PLAIN, map_location='cpu')
weights = {k: v.clone() for k, v in state.items() if k not in ('beta_t', 'alpha_t')}

mlp = [torch.nn.Parameter(v.clone()) for k, v in weights.items() if k.startswith('gt.time_embed.')]
optimizer = torch.optim.Adam(mlp, lr=2e-4)
for p in mlp:
    p.grad = torch.zeros_like(p)
optimizer.step()

torch.save({
    'epoch': 30,
    'model_state_dict': weights,
    'optimizer_state_dict': optimizer.state_dict(),
    'train_losses': [np.float32(0.0712), np.float32(0.0398), np.float32(0.0331)],
    'val_losses': [np.float64(0.0405), np.float64(0.0342)],
    'best_val_loss': np.float64(0.0342),
}, OUT)
print(OUT, os.path.getsize(OUT), 'bytes;', len(weights), 'weights under model_state_dict')
