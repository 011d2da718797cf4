package org.colsparse.runtime;

import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Turns PyTorch's NNPACK off, as {@code torch.backends.nnpack.set_flags(False)} does in Python.
 *
 * <p>Every convolution asks whether NNPACK is usable before picking a kernel; on CPUs NNPACK does not
 * support (AVX-512 servers among them) PyTorch 2.7.1 answers by logging "Could not initialize
 * NNPACK! Reason: Unsupported hardware" again and again (about 4,900 lines in one {@code run}).
 * With the user switch off PyTorch never asks, and NNPACK would only be used for batches of 16 or
 * more anyway. DJL has no call for this switch, so it is made through the foreign-function API on
 * libtorch_cpu's exported {@code at::globalContext()} and {@code at::Context::setUserEnabledNNPACK}.
 * That API is an incubator module in Java 17: the launcher and the tests add it
 * ({@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED}); without it this
 * does nothing and the warnings stay.
 */
final class NnpackSwitch {
    private NnpackSwitch() {
    }

    /** True when NNPACK is now off; false when the foreign-function module is absent or the symbols are not found. */
    static boolean disable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
            return false;
        }
        try {
            return Foreign.disable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** Loaded only when the module is present. */
    private static final class Foreign {
        static boolean disable() throws Throwable {
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            Optional<MemoryAddress> context = lookup.lookup("_ZN2at13globalContextEv");
            Optional<MemoryAddress> set = lookup.lookup("_ZN2at7Context20setUserEnabledNNPACKEb");
            Optional<MemoryAddress> get = lookup.lookup("_ZNK2at7Context17userEnabledNNPACKEv");
            if (context.isEmpty() || set.isEmpty() || get.isEmpty()) {
                return false;
            }
            CLinker c = CLinker.getInstance();
            MethodHandle globalContext = c.downcallHandle(context.get(), MethodType.methodType(MemoryAddress.class),
                    FunctionDescriptor.of(CLinker.C_POINTER));
            MethodHandle setEnabled = c.downcallHandle(set.get(), MethodType.methodType(void.class, MemoryAddress.class, byte.class),
                    FunctionDescriptor.ofVoid(CLinker.C_POINTER, CLinker.C_CHAR));
            MethodHandle enabled = c.downcallHandle(get.get(), MethodType.methodType(byte.class, MemoryAddress.class),
                    FunctionDescriptor.of(CLinker.C_CHAR, CLinker.C_POINTER));
            MemoryAddress ctx = (MemoryAddress) globalContext.invokeExact();
            setEnabled.invokeExact(ctx, (byte) 0);
            return (byte) enabled.invokeExact(ctx) == 0;
        }
    }
}
