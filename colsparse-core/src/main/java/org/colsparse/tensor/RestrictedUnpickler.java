package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader (protocols 0 to 5) that understands exactly what {@code torch.save} writes for a
 * state dict: plain containers, tensors rebuilt by {@code torch._utils._rebuild_tensor_v2} /
 * {@code _rebuild_parameter} over persistent-id storages, and {@code torch.Size}. Globals are
 * matched as strings against that list, so nothing named in the file is ever loaded, let alone
 * called. What happens to any other global depends on the {@link Mode}: {@link Mode#STRICT} refuses
 * it on sight; {@link Mode#WEIGHTS} keeps it as a {@link Foreign}, the name only. Python values
 * become Java values: dict -> LinkedHashMap, list/set -> ArrayList, tuple -> {@link Tuple}, int ->
 * Long/BigInteger, float -> Double, str -> String, bytes -> byte[], None -> null.
 *
 * <p>A hostile pickle cannot make the reader hang or exhaust memory: the objects it may create
 * (counting every container that a call copies and every reference the memo hands out again)
 * are capped at {@link #MAX_WORK}, integers at {@link #MAX_INT_BYTES} bytes, tensors at
 * {@link #MAX_RANK} dimensions, and dict keys are checked to be hashable values of bounded size
 * and depth before Java hashes them. The reader itself does not recurse. docs/input-limits.md
 * lists these limits and why they are where they are.
 */
final class RestrictedUnpickler {
    /** The only callables a pickle may name. */
    enum Callable {
        ORDERED_DICT, DICT, LIST, TUPLE, TORCH_SIZE, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE
    }

    /** What a global that is not on the list means. */
    enum Mode {
        /** An error naming it: for tools that report what a file holds, which must not pass over anything. */
        STRICT,
        /**
         * A {@link Foreign}: for reading model weights out of training checkpoints that pickle other
         * objects beside them (argparse args, OmegaConf hyper-parameters, numpy arrays, a data normalizer).
         */
        WEIGHTS
    }

    /**
     * A Python object the file builds from a class colsparse never runs, kept as its name only
     * ({@code module name} of the global): calling it, instantiating it, setting its state or adding
     * items to it yields the same placeholder, and everything passed to it is dropped.
     */
    record Foreign(String name) {
    }

    /** A {@code torch.XxxStorage} class named in a persistent id: only a dtype tag, never instantiated. */
    record StorageType(DType dtype) {
    }

    record Tuple(List<Object> items) {
    }

    /** A storage as the persistent id names it: its zip entry key, element type and element count. */
    record Storage(String key, DType dtype, long numel) {
    }

    /** A tensor view: storage offset, sizes and strides in elements. */
    record Tensor(Storage storage, long offset, long[] size, long[] stride) {
    }

    /**
     * Objects a pickle may create, counting a container as {@link #CONTAINER_COST} and each item a
     * call copies or a memo reference re-pushes as one. A real torch.save pickle creates about 30
     * per tensor: 33k for SD 1.5's ~1,100 tensors, a few hundred thousand for a training
     * checkpoint with optimizer state; a pickled loss history of a million floats takes 2M. The cap
     * (8.4M; at most about 600 MB of heap, for a list of 8.3M distinct ints) stops a memo-reuse
     * bomb, where a few bytes re-push or copy an ever larger container, long before memory runs out.
     */
    static final long MAX_WORK = 1L << 23;
    /** A new list, dict or tuple is several Java objects. */
    private static final int CONTAINER_COST = 4;
    /**
     * Widest integer (LONG1 stops at 255 bytes; checkpoints hold step counts, seeds and sizes, all
     * below 2^64). 8192 bits still parse and print in microseconds; the 20 MB integers of a hostile
     * file took minutes to print in an error message or a tensor name.
     */
    static final int MAX_INT_BYTES = 1024;
    /** Decimal digits of the widest protocol-0 integer: 2^8192 has 2,467. */
    private static final int MAX_INT_DIGITS = 2467;
    /** Dimensions of a tensor: NumPy 2 allows 64, PyTorch's TensorIterator 25. */
    static final int MAX_RANK = 64;
    /** A dict key tuple (a hashable value in Python) is hashed recursively by Java: its depth and size are capped. */
    static final int MAX_KEY_DEPTH = 16;
    static final int MAX_KEY_ITEMS = 256;

    private static final Object MARK = new Object();

    private final String where;
    private final Mode mode;
    private final byte[] b;
    private int pos;
    private long work;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Storage> storages = new LinkedHashMap<>();

    private RestrictedUnpickler(String where, Mode mode, byte[] pickle) {
        this.where = where;
        this.mode = mode;
        this.b = pickle;
    }

    /** Reads one pickle, refusing any global not on the list; {@code where} names the file in every error. */
    static Object load(String where, byte[] pickle) {
        return load(where, Mode.STRICT, pickle);
    }

    /** Reads one pickle; {@code where} names the file in every error. */
    static Object load(String where, Mode mode, byte[] pickle) {
        return new RestrictedUnpickler(where, mode, pickle).run();
    }

    private Object run() {
        while (true) {
            int opAt = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw bad("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> take(8); // FRAME: framing is transparent to a reader of the whole stream
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw bad("malformed pickle (stack not balanced at STOP)");
                    }
                    return stack.get(0);
                }
                case '(' -> {
                    spend(1);
                    marks.add(stack.size());
                }
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                // constants and numbers
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) le(4).getInt());
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (le(2).getShort() & 0xffff));
                case 0x8a -> push(longLE(u8()));
                case 0x8b -> push(longLE(intWidth(count(le(4).getInt()))));
                case 'I' -> {
                    String s = line();
                    push(s.equals("00") ? Boolean.FALSE : s.equals("01") ? Boolean.TRUE : integer(s));
                }
                case 'L' -> push(integer(line().replaceAll("L$", "")));
                case 'F' -> push(parseDouble(line()));
                case 'G' -> push(ByteBuffer.wrap(take(8)).getDouble());
                // strings and bytes
                case 'X' -> push(utf8(count(le(4).getInt())));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(count(le(8).getLong())));
                case 'V' -> push(rawUnicodeEscape(line()));
                case 'S' -> push(quoted(line()));
                case 'T' -> push(new String(take(count(le(4).getInt())), StandardCharsets.ISO_8859_1));
                case 'U' -> push(new String(take(u8()), StandardCharsets.ISO_8859_1));
                case 'B' -> push(take(count(le(4).getInt())));
                case 'C' -> push(take(u8()));
                case 0x8e -> push(take(count(le(8).getLong())));
                // containers
                case '}' -> push(container(new LinkedHashMap<Object, Object>()));
                case ']' -> push(container(new ArrayList<>()));
                case ')' -> push(container(new Tuple(List.of())));
                case 0x8f -> push(container(new ArrayList<>())); // EMPTY_SET
                case 'd' -> {
                    List<Object> items = popMark();
                    push(container(setItems(new LinkedHashMap<>(), items)));
                }
                case 'l' -> push(container(popMark()));
                case 't' -> push(container(new Tuple(Collections.unmodifiableList(popMark()))));
                case 0x91 -> push(container(popMark())); // FROZENSET
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                // items added to a Foreign (a list or dict subclass) are dropped with it
                case 'a' -> {
                    Object v = pop();
                    if (!(peek() instanceof Foreign)) {
                        list(peek()).add(v);
                    }
                }
                case 'e', 0x90 -> { // APPENDS, ADDITEMS
                    List<Object> items = popMark();
                    if (!(peek() instanceof Foreign)) {
                        list(peek()).addAll(items);
                    }
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    if (!(peek() instanceof Foreign)) {
                        map(peek()).put(key(k), v);
                    }
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    if (!(peek() instanceof Foreign)) {
                        setItems(map(peek()), items);
                    }
                }
                // memo
                case 'p' -> memoize(memoIndex(line()));
                case 'q' -> memoize(u8());
                case 'r' -> memoize(le(4).getInt() & 0xffffffffL);
                case 0x94 -> memoize(memo.size());
                case 'g' -> push(memo(memoIndex(line())));
                case 'h' -> push(memo((long) u8()));
                case 'j' -> push(memo(le(4).getInt() & 0xffffffffL));
                // globals, calls, persistent ids
                case 'c' -> {
                    String module = line();
                    push(global(module, line()));
                }
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("malformed pickle (STACK_GLOBAL without two strings)");
                    }
                    push(global(m, n));
                }
                case 'i' -> { // INST names a class to instantiate: refused like any other global, or a Foreign in the weights mode
                    String module = line();
                    Object cls = global(module, line());
                    if (!(cls instanceof Foreign)) {
                        throw bad("unsupported pickle opcode INST");
                    }
                    popMark(); // the constructor's arguments
                    push(cls);
                }
                case 'R' -> {
                    Object args = pop();
                    Object fn = pop();
                    push(call(fn, args));
                }
                case 'b' -> {
                    Object state = pop();
                    Object target = peek();
                    // OrderedDict carries `_metadata` as instance state; tensors may carry hooks: neither matters
                    // here, nor does a Foreign's state, which is dropped with it
                    if (!(target instanceof Map<?, ?>) && !(target instanceof Tensor) && !(target instanceof Foreign)) {
                        throw bad("pickle BUILD on an unsupported object");
                    }
                    if (state == null && !(target instanceof Foreign)) {
                        throw bad("pickle BUILD without state");
                    }
                }
                case 'Q' -> push(persistent(pop()));
                case 'P' -> push(persistent(line()));
                case 0x81, 0x92, 'o' -> push(instance(op));
                case 0x82, 0x83, 0x84 -> throw bad("unsupported pickle opcode EXT (copyreg extension codes)");
                case 0x96, 0x97, 0x98 -> throw bad("unsupported pickle opcode " + opName(op) + " (out-of-band buffers)");
                default -> throw bad(String.format("unknown pickle opcode 0x%02x at byte %d", op, opAt));
            }
        }
    }

    /** The object NEWOBJ, NEWOBJ_EX or OBJ creates: only from a Foreign class, which is then all it is. */
    private Object instance(int op) {
        String refused = "unsupported pickle opcode " + opName(op) + " (creates an arbitrary object)";
        if (mode == Mode.STRICT) {
            throw bad(refused);
        }
        Object cls;
        if (op == 'o') { // MARK cls args...
            List<Object> items = popMark();
            cls = items.isEmpty() ? null : items.get(0);
        } else { // cls args (NEWOBJ) or cls args kwargs (NEWOBJ_EX)
            pop();
            if (op == 0x92) {
                pop();
            }
            cls = pop();
        }
        if (!(cls instanceof Foreign)) {
            throw bad(refused);
        }
        return cls;
    }

    private static String opName(int op) {
        return switch (op) {
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'o' -> "OBJ";
            case 0x96 -> "BYTEARRAY8";
            case 0x97 -> "NEXT_BUFFER";
            default -> "READONLY_BUFFER";
        };
    }

    private Object global(String module, String name) {
        switch (module + " " + name) {
            case "collections OrderedDict":
                return Callable.ORDERED_DICT;
            case "builtins dict", "__builtin__ dict":
                return Callable.DICT;
            case "builtins list", "__builtin__ list":
                return Callable.LIST;
            case "builtins tuple", "__builtin__ tuple":
                return Callable.TUPLE;
            case "torch Size":
                return Callable.TORCH_SIZE;
            case "torch._utils _rebuild_tensor_v2":
                return Callable.REBUILD_TENSOR_V2;
            case "torch._utils _rebuild_parameter":
                return Callable.REBUILD_PARAMETER;
            case "torch._utils _rebuild_parameter_with_state":
                return Callable.REBUILD_PARAMETER_WITH_STATE;
            default:
                break;
        }
        if (module.equals("torch")) {
            DType t = switch (name) {
                case "FloatStorage" -> DType.F32;
                case "DoubleStorage" -> DType.F64;
                case "HalfStorage" -> DType.F16;
                case "BFloat16Storage" -> DType.BF16;
                case "LongStorage" -> DType.I64;
                case "IntStorage" -> DType.I32;
                case "ShortStorage" -> DType.I16;
                case "CharStorage" -> DType.I8;
                case "ByteStorage" -> DType.U8;
                case "BoolStorage" -> DType.BOOL;
                default -> null;
            };
            if (t != null) {
                return new StorageType(t);
            }
            if (name.endsWith("Storage")) {
                throw new InputException(where + ": unsupported storage type 'torch " + printable(name)
                        + "' (supported: Float, Double, Half, BFloat16, Long, Int, Short, Char, Byte, Bool)");
            }
        }
        if (mode == Mode.WEIGHTS) {
            return new Foreign(module + " " + name);
        }
        throw new InputException(where + ": refuses pickle global '" + printable(module) + " " + printable(name)
                + "' (only tensors, storages and plain containers are allowed)");
    }

    /** Keeps the one-line error promise whatever bytes the file puts in a name. */
    private static String printable(String s) {
        return Printable.excerpt(s);
    }

    /** A value as an error message names it: short, whatever the file built (printing a list that contains itself never ends). */
    static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Long || v instanceof Double) {
            return v.toString();
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof BigInteger || v instanceof String) {
            return Printable.excerpt(v instanceof String ? "'" + v + "'" : v.toString());
        }
        if (v instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (v instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (v instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (v instanceof Foreign f) {
            return "an object of " + printable(f.name());
        }
        if (v instanceof Tensor) {
            return "a tensor";
        }
        if (v instanceof Storage) {
            return "a storage";
        }
        return v instanceof byte[] ? "bytes" : v.getClass().getSimpleName();
    }

    private Object call(Object fn, Object argsObj) {
        if (fn instanceof Foreign) {
            return fn; // never called: the result is the same placeholder, the arguments are dropped
        }
        if (!(fn instanceof Callable c)) {
            throw bad(fn instanceof StorageType ? "pickle calls a storage type (only tensors rebuilt from storages are supported)"
                    : "malformed pickle (REDUCE on a non-callable)");
        }
        if (!(argsObj instanceof Tuple t)) {
            throw bad("malformed pickle (REDUCE arguments are not a tuple)");
        }
        List<Object> a = t.items();
        switch (c) {
            case ORDERED_DICT, DICT -> {
                Map<Object, Object> m = container(new LinkedHashMap<>());
                if (a.size() == 1 && a.get(0) instanceof Map<?, ?> src) {
                    spend(src.size()); // a memo reference to one large dict, copied again and again
                    m.putAll(src);
                } else if (a.size() == 1) {
                    for (Object pair : iterable(a.get(0))) {
                        spend(1);
                        List<Object> kv = iterable(pair);
                        if (kv.size() != 2) {
                            throw bad("malformed pickle (dict item is not a pair)");
                        }
                        m.put(key(kv.get(0)), kv.get(1));
                    }
                } else if (!a.isEmpty()) {
                    throw bad("malformed pickle (dict called with " + a.size() + " arguments)");
                }
                return m;
            }
            case LIST -> {
                return container(a.isEmpty() ? new ArrayList<>() : new ArrayList<>(copied(iterable(one(a, "list")))));
            }
            case TUPLE, TORCH_SIZE -> {
                // not List.copyOf: a tuple may hold None
                return container(a.isEmpty() ? new Tuple(List.of())
                        : new Tuple(Collections.unmodifiableList(new ArrayList<>(copied(iterable(one(a, "tuple")))))));
            }
            case REBUILD_TENSOR_V2 -> {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() != 6 && a.size() != 7) {
                    throw bad("_rebuild_tensor_v2 called with " + a.size() + " arguments");
                }
                if (!(a.get(0) instanceof Storage s)) {
                    throw bad("_rebuild_tensor_v2 without a storage");
                }
                long offset = index(a.get(1), "storage offset");
                long[] size = longs(a.get(2), "size");
                long[] stride = longs(a.get(3), "stride");
                if (size.length != stride.length) {
                    throw bad("tensor size " + java.util.Arrays.toString(size) + " and stride "
                            + java.util.Arrays.toString(stride) + " differ in rank");
                }
                return new Tensor(s, offset, size, stride);
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                if (a.isEmpty() || !(a.get(0) instanceof Tensor tensor)) {
                    throw bad("_rebuild_parameter without a tensor");
                }
                return tensor;
            }
            default -> throw new IllegalStateException(c.toString());
        }
    }

    private Object one(List<Object> a, String what) {
        if (a.size() != 1) {
            throw bad("malformed pickle (" + what + " called with " + a.size() + " arguments)");
        }
        return a.get(0);
    }

    private Storage persistent(Object pid) {
        // ('storage', storage_type, key, location, numel)
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw bad("unsupported persistent id (expected ('storage', type, key, location, numel))");
        }
        List<Object> p = t.items();
        if (!(p.get(1) instanceof StorageType type) || !(p.get(2) instanceof String key)) {
            throw bad("malformed storage persistent id");
        }
        long numel = index(p.get(4), "storage size");
        Storage s = new Storage(key, type.dtype(), numel);
        Storage prior = storages.putIfAbsent(key, s);
        if (prior != null && !prior.equals(s)) {
            throw bad("storage '" + key + "' is declared twice with different types or sizes");
        }
        return prior != null ? prior : s;
    }

    private long index(Object v, String what) {
        if (!(v instanceof Long l) || l < 0) {
            throw bad("invalid " + what + " " + describe(v));
        }
        return l;
    }

    private long[] longs(Object v, String what) {
        List<Object> items = copied(iterable(v));
        if (items.size() > MAX_RANK) {
            throw bad("tensor " + what + " has " + items.size() + " dimensions (at most " + MAX_RANK + " are read)");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = index(items.get(i), "tensor " + what + " entry");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> iterable(Object v) {
        if (v instanceof Tuple t) {
            return t.items();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad("malformed pickle (expected a tuple or list)");
    }

    private Map<Object, Object> setItems(Map<Object, Object> m, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw bad("malformed pickle (odd number of dict items)");
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(key(items.get(i)), items.get(i + 1));
        }
        return m;
    }

    /**
     * Dict keys must be hashable by value in Java too: strings, numbers, booleans, None, and tuples
     * of those (Python refuses a list inside a key, so a key can never contain itself). A tuple
     * key is checked to at most {@link #MAX_KEY_DEPTH} levels and {@link #MAX_KEY_ITEMS} items
     * before Java's recursive hashCode sees it: a 10,000-deep or self-referential one overflowed
     * the stack.
     */
    private Object key(Object k) {
        if (k instanceof Tuple t) {
            spend(keyItems(t, 1, 0));
            return k;
        }
        if (!scalarKey(k)) {
            throw bad("unsupported dict key type in pickle (" + describe(k) + ")");
        }
        return k;
    }

    private static boolean scalarKey(Object k) {
        return k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                || k instanceof Boolean;
    }

    /** Items in the key tuple {@code t} at nesting {@code depth}, added to the {@code seen} so far; stops at the limits. */
    private int keyItems(Tuple t, int depth, int seen) {
        if (depth > MAX_KEY_DEPTH) {
            throw bad("dict key tuple nested more than " + MAX_KEY_DEPTH + " deep");
        }
        for (Object item : t.items()) {
            if (++seen > MAX_KEY_ITEMS) {
                throw bad("dict key tuple of more than " + MAX_KEY_ITEMS + " items");
            }
            if (item instanceof Tuple inner) {
                seen = keyItems(inner, depth + 1, seen);
            } else if (!scalarKey(item)) {
                throw bad("unsupported dict key type in pickle (a tuple holding " + describe(item) + ")");
            }
        }
        return seen;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw bad("malformed pickle (SETITEM on a non-dict)");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad("malformed pickle (APPEND on a non-list)");
    }

    private Tuple tuple(int n) {
        if (stack.size() - n < floor()) {
            throw bad("malformed pickle (stack underflow)");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return container(new Tuple(Collections.unmodifiableList(items)));
    }

    private void push(Object o) {
        spend(1);
        stack.add(o);
    }

    /** Counts a new container against {@link #MAX_WORK}. */
    private <T> T container(T c) {
        spend(CONTAINER_COST);
        return c;
    }

    /** Counts the items a call is about to copy. */
    private List<Object> copied(List<Object> items) {
        spend(items.size());
        return items;
    }

    private void spend(long n) {
        work += n;
        if (work > MAX_WORK) {
            throw bad("pickle creates more than " + MAX_WORK + " objects (far more than a checkpoint holds: a pickle"
                    + " bomb, whose memo re-uses or copies containers over and over?)");
        }
    }

    private void memoize(long index) {
        spend(1);
        memo.put(index, peek());
    }

    private Object pop() {
        if (stack.size() <= floor()) {
            throw bad("malformed pickle (stack underflow)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.size() <= floor()) {
            throw bad("malformed pickle (stack underflow)");
        }
        return stack.get(stack.size() - 1);
    }

    private int floor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw bad("malformed pickle (no MARK)");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memo(long i) {
        if (!memo.containsKey(i)) {
            throw bad("malformed pickle (memo " + i + " not set)");
        }
        return memo.get(i);
    }

    private long memoIndex(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad("malformed pickle (memo index '" + printable(s) + "')");
        }
    }

    private int u8() {
        if (pos >= b.length) {
            throw bad("truncated pickle");
        }
        return b[pos++] & 0xff;
    }

    private byte[] take(int n) {
        if (n < 0 || n > b.length - pos) {
            throw bad("truncated pickle");
        }
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    private ByteBuffer le(int n) {
        return ByteBuffer.wrap(take(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int count(long n) {
        if (n < 0 || n > b.length - pos) {
            throw bad("truncated pickle");
        }
        return (int) n;
    }

    private String utf8(int n) {
        return new String(take(n), StandardCharsets.UTF_8);
    }

    private String line() {
        int start = pos;
        while (pos < b.length && b[pos] != '\n') {
            pos++;
        }
        if (pos >= b.length) {
            throw bad("truncated pickle");
        }
        String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    private int intWidth(int n) {
        if (n > MAX_INT_BYTES) {
            throw bad("pickle integer of " + n + " bytes (at most " + MAX_INT_BYTES + " are read)");
        }
        return n;
    }

    /** LONG1/LONG4: little-endian two's complement. */
    private Object longLE(int n) {
        byte[] le = take(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Object integer(String s) {
        if (s.length() > MAX_INT_DIGITS + 2) { // sign and Python 2's trailing L
            throw bad("pickle integer of " + s.length() + " digits (at most " + MAX_INT_DIGITS + " are read)");
        }
        try {
            BigInteger v = new BigInteger(s.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw bad("malformed pickle integer '" + printable(s) + "'");
        }
    }

    private double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad("malformed pickle float '" + printable(s) + "'");
        }
    }

    /** Protocol 0 STRING: a Python repr in quotes; only the escapes repr produces are decoded. */
    private String quoted(String s) {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw bad("malformed pickle string");
        }
        return unescape(s.substring(1, s.length() - 1), false);
    }

    private String rawUnicodeEscape(String s) {
        return unescape(s, true);
    }

    private String unescape(String s, boolean rawUnicode) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i + 1);
            int hex = rawUnicode ? (e == 'u' ? 4 : e == 'U' ? 8 : 0) : (e == 'x' ? 2 : 0);
            if (hex > 0 && i + 2 + hex <= s.length()) {
                try {
                    out.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 2 + hex), 16));
                } catch (IllegalArgumentException ex) {
                    throw bad("malformed pickle string escape");
                }
                i += 1 + hex;
            } else if (!rawUnicode) {
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private InputException bad(String what) {
        return new InputException(where + ": " + what);
    }
}
