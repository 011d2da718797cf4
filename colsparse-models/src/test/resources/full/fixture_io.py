"""Checkpoint writers shared by the full-size fixture scripts (*/make_fixture*.py): torch.save's zip
format and safetensors, written with the standard library and NumPy only (torch is not needed).

The scripts import this with two lines that put this folder on sys.path (so they run from any directory):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # full/: shared helpers
    from fixture_io import save_pt, write_safetensors
"""
import collections, io, json, pickle, struct, sys, types, zipfile
import numpy as np

# torch.save's pickle refers to torch's globals by name: stand-ins with those names, registered in
# sys.modules only while pickling (pickle checks that a global can be found where it claims to live)
_torch = types.ModuleType('torch')
_tutils = types.ModuleType('torch._utils')
_torch._utils = _tutils
_torch.FloatStorage = type('FloatStorage', (), {'__module__': 'torch'})
_torch.HalfStorage = type('HalfStorage', (), {'__module__': 'torch'})


def _rebuild_tensor_v2(*a):
    raise RuntimeError('only pickled, never called')


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
        stride = tuple(int(np.prod(a.shape[i + 1:])) for i in range(a.ndim))
        return (_rebuild_tensor_v2, (self.storage, 0, tuple(a.shape), stride, False, collections.OrderedDict()))


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            kind = _torch.HalfStorage if obj.arr.dtype == np.float16 else _torch.FloatStorage
            return ('storage', kind, obj.key, 'cpu', obj.arr.size)
        return None


class Obj:
    """An instance of cls (a stand-in class named like the real one) to pickle with attributes attrs, whose arrays
    become tensors like those of the dicts around it: a Python object torch.save pickles with its tensors (EDGE's
    normalizer)."""

    def __init__(self, cls, **attrs):
        self.cls, self.attrs = cls, attrs


def stand_in(module, name):
    """A class named module.name, registered in sys.modules so that pickle finds it where it claims to live."""
    parts = module.split('.')
    for i in range(len(parts)):
        sys.modules.setdefault('.'.join(parts[:i + 1]), types.ModuleType('.'.join(parts[:i + 1])))
    cls = type(name, (), {'__module__': module})
    setattr(sys.modules[module], name, cls)
    return cls


def save_pt(fname, tree, ordered_dicts=False):
    """Writes tree as torch.save does (zip, pickle protocol 2, little endian): nested dicts/lists whose
    numpy float16/float32 arrays become tensors (one storage each, numbered in traversal order; one array object
    placed twice is one tensor, as torch.save writes a module reachable under two names) and whose
    other values are pickled as they are. ordered_dicts: pickle every dict as an OrderedDict (the MDM and
    EDGE fixtures were written so); otherwise each dict keeps its own type. Entries carry a fixed date, so
    reruns give the same bytes."""
    storages, tensors = [], {}

    def conv(o):
        if isinstance(o, dict):
            kind = collections.OrderedDict if ordered_dicts else type(o)
            return kind((k, conv(v)) for k, v in o.items())
        if isinstance(o, list):
            return [conv(v) for v in o]
        if isinstance(o, Obj):
            built = object.__new__(o.cls)
            built.__dict__.update((k, conv(v)) for k, v in o.attrs.items())
            return built
        if not isinstance(o, np.ndarray):
            return o
        assert o.dtype in (np.float16, np.float32), o.dtype
        if id(o) in tensors:   # one tensor under two names (a module registered twice): pickled once, then by memo
            return tensors[id(o)]
        s = _Storage(str(len(storages)), o if o.flags.c_contiguous else np.ascontiguousarray(o))
        storages.append(s)
        tensors[id(o)] = _Tensor(s)
        return tensors[id(o)]
    saved = dict(sys.modules)
    sys.modules['torch'], sys.modules['torch._utils'] = _torch, _tutils
    try:
        buf = io.BytesIO()
        _Pickler(buf, protocol=2).dump(conv(tree))
    finally:
        sys.modules.clear()
        sys.modules.update(saved)
    entry = lambda name: zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(fname, 'w') as z:
        z.writestr(entry('archive/data.pkl'), buf.getvalue())
        z.writestr(entry('archive/byteorder'), 'little')
        for s in storages:
            z.writestr(entry('archive/data/' + s.key), s.arr.astype(s.arr.dtype.newbyteorder('<')).tobytes())
        z.writestr(entry('archive/version'), '3\n')


def write_safetensors(fname, tensors, dtype, f32_keys=()):
    """tensors: name -> array, stored in insertion order as dtype 'F16' or 'F32' (the keys in f32_keys as 'F32')."""
    header, blobs, off = {}, [], 0
    for k, v in tensors.items():
        kind = 'F32' if k in f32_keys else dtype
        raw = v.astype('<f2' if kind == 'F16' else '<f4').tobytes()
        header[k] = {'dtype': kind, 'shape': list(v.shape), 'data_offsets': [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hj = json.dumps(header).encode()
    with open(fname, 'wb') as f:
        f.write(struct.pack('<Q', len(hj)) + hj + b''.join(blobs))
