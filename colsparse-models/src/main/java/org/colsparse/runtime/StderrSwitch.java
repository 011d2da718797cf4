package org.colsparse.runtime;

import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * Puts the caller's stderr back on file descriptor 2 once the JVM has started.
 *
 * <p>The commands that run PyTorch add the foreign-function module (for {@link NnpackSwitch}), and
 * Java then prints "WARNING: Using incubator modules" as the first line of stderr, before main and
 * with no switch to silence it. The launcher therefore starts the JVM with stderr going through a
 * filter that drops that line and the real stderr kept open as another descriptor. Once main runs
 * the warning is past, so this makes that descriptor fd 2 again ({@code dup2}, as the shell's
 * {@code 2>&3}): from then on Java and native code write to the real stderr directly, as if there
 * were no filter, and the filter ends. Without it a Java caller that waits for colsparse and then
 * reads its stderr could miss the last line (the JDK closes the pipe when the process exits, while
 * the filter may not have passed the line on yet), and a terminal could show it after the prompt.
 */
public final class StderrSwitch {
    private StderrSwitch() {
    }

    /**
     * Makes {@code saved} the process's fd 2 and closes it; true when done, false when the
     * foreign-function module is absent or a call fails (stderr then stays with the filter, which
     * passes everything but the warning on).
     */
    public static boolean restore(int saved) {
        if (saved <= 2 || ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
            return false;
        }
        try {
            System.err.flush();
            return Foreign.dup2(saved);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Loaded only when the module is present. */
    private static final class Foreign {
        static boolean dup2(int saved) throws Throwable {
            SymbolLookup libc = CLinker.systemLookup();
            MemoryAddress dup2 = libc.lookup("dup2").orElse(null);
            MemoryAddress close = libc.lookup("close").orElse(null);
            if (dup2 == null || close == null) {
                return false;
            }
            CLinker c = CLinker.getInstance();
            MethodHandle dup = c.downcallHandle(dup2, MethodType.methodType(int.class, int.class, int.class),
                    FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT, CLinker.C_INT));
            MethodHandle cls = c.downcallHandle(close, MethodType.methodType(int.class, int.class),
                    FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT));
            if ((int) dup.invokeExact(saved, 2) != 2) {
                return false;
            }
            int ignored = (int) cls.invokeExact(saved);
            return true;
        }
    }
}
