package org.colsparse.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One CLI invocation as a test sees it: the exit code and what the command wrote to stdout and stderr. */
record CliRun(int code, String out, String err) {
    /** Runs {@code args} through the command tree the launcher builds for them ({@link Main#execute}). */
    static CliRun run(String... args) {
        CommandLine cl = Main.commandLine(args.length > 0 ? args[0] : null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs {@code args}, asserts the exit code, and returns stdout on success, stderr otherwise. */
    static String expect(int exitCode, String... args) {
        CliRun r = run(args);
        assertEquals(exitCode, r.code(), r.err());
        return exitCode == 0 ? r.out() : r.err();
    }

    /** Runs {@code args} and asserts exit 2 with exactly the one line {@code "colsparse: error: " + message}. */
    static void refused(String message, String... args) {
        String err = expect(2, args);
        assertEquals("colsparse: error: " + message, err.strip(), String.join(" ", args));
    }
}
