package org.colsparse.cli;

import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** Entry point of the {@code colsparse} command. Exit codes: 0 ok, 2 bad input, 1 internal failure. */
@Command(name = "colsparse", mixinStandardHelpOptions = true, version = "colsparse 0.1.0",
        description = "How much of a diffusion model's GELU sparsity can a systolic array exploit?")
public final class Main implements Runnable {
    /**
     * The subcommands, registered in code rather than in the annotation so that a run builds only
     * the one it needs: picocli instantiates every registered command, and their static state
     * (Jackson mappers, DJL classes) costs a few hundred ms of start-up that `analyze` cannot afford.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            RunCommand.class,
            WorkloadsCommand.class,
            ProfileCommand.class,
            AnalyzeCommand.class,
            InspectCommand.class,
            ShapesCommand.class,
            GemmCommand.class,
            SimulateCommand.class,
            DramCommand.class,
            AccuracyCommand.class,
            MergeCommand.class,
            TrainCommand.class);

    /**
     * One line per command for the top-level help: picocli would show the first line of each
     * command's own description, wrapped mid-word at 80 columns and cut where a description spans lines.
     */
    private static final java.util.Map<String, String> SUMMARIES = new java.util.LinkedHashMap<>();

    static {
        SUMMARIES.put("help", "help on a command: colsparse help run");
        SUMMARIES.put("run", "the whole characterization and report (results/report.html)");
        SUMMARIES.put("workloads", "built-in workloads: group, modality, GELU sites, checkpoint, sampler");
        SUMMARIES.put("profile", "a workload's sampling loop, GELU sparsity per site, timestep, workload");
        SUMMARIES.put("analyze", "sparsity of stored activations (.npy .npz .safetensors .pt)");
        SUMMARIES.put("inspect", "tensors in a checkpoint or array file");
        SUMMARIES.put("shapes", "every GEMM of one full-size denoiser call");
        SUMMARIES.put("gemm", "analytic (SCALE-Sim-exact) systolic cycles, with column skipping from a mask");
        SUMMARIES.put("simulate", "cycle-level accelerator: array + SRAM + DRAM (GDDR6 default, HBM3/HBM2/DDR5), per activation layout");
        SUMMARIES.put("dram", "the command-level DRAM model (GDDR6, HBM3, HBM2, DDR5) on a Ramulator LoadStoreTrace");
        SUMMARIES.put("accuracy", "output drift when near-zero GELU outputs are zeroed, per threshold");
        SUMMARIES.put("merge", "combines the shard files of profile/accuracy/run --shard I/N into their results");
        SUMMARIES.put("train", "trains a tiny workload model on real data");
    }

    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // the launcher's stderr filter has done its work (the JVM's start-up warning): stderr goes direct again
        String saved = System.getProperty("colsparse.stderr.fd");
        if (saved != null && saved.matches("[0-9]{1,4}")) {
            org.colsparse.runtime.StderrSwitch.restore(Integer.parseInt(saved));
        }
        System.exit(execute(args));
    }

    /**
     * Picocli's message for a command line it cannot parse, in colsparse's wording ("--option:
     * problem"): without the option's placeholder ("(<thresholds>)") and without Java type names
     * ("is not a double"). Messages of other forms pass unchanged.
     */
    static String parameterMessage(String m) {
        m = m.replaceAll("('--[\\w-]+') \\([^)]*\\)", "$1");
        m = m.replaceAll("'([^']*)' is not an? (int|long|short|byte)\\b", "'$1' is not a whole number")
                .replaceAll("'([^']*)' is not an? (double|float)\\b", "'$1' is not a number")
                .replaceAll("expected one of \\[(.*)] \\(case-sensitive\\) but was '(.*)'", "expected one of $1, got '$2'");
        java.util.regex.Matcher x;
        if ((x = match("Invalid value for option '(--[^']+)': (.*)", m)) != null) {
            return x.group(1) + ": " + x.group(2);
        }
        if ((x = match("option '(--[^']+)' should be specified only once", m)) != null) {
            return x.group(1) + ": given more than once; this command takes one value";
        }
        if ((x = match("Value for option option '(--[^']+)' should be in KEY=VALUE format but was (.*)", m)) != null) {
            return x.group(1) + ": expected NAME=FILE, got '" + x.group(2) + "'";
        }
        if ((x = match("Missing required parameter for option '(--[^']+)'", m)) != null) {
            return x.group(1) + ": needs a value";
        }
        if ((x = match("Missing required options?: (.*)", m)) != null) {
            return "missing " + x.group(1).replaceAll("'(--[^'=]+)=([^']*)'", "$1 $2").replaceAll("'([^']*)'", "$1");
        }
        if ((x = match("Missing required parameters?: (.*)", m)) != null) {
            return "missing " + x.group(1).replace("'", "");
        }
        return m;
    }

    /** -h and -V described in the style of every other option (picocli's own: "Show this help message and exit."). */
    private static void standardHelpStyle(CommandLine.Model.CommandSpec spec) {
        restyle(spec, "--help", "show this help and exit");
        restyle(spec, "--version", "print the version and exit");
    }

    private static void restyle(CommandLine.Model.CommandSpec spec, String name, String description) {
        CommandLine.Model.OptionSpec o = spec.findOption(name);
        if (o != null) {
            spec.remove(o);
            spec.addOption(o.toBuilder().description(description).build());
        }
    }

    private static java.util.regex.Matcher match(String regex, String m) {
        java.util.regex.Matcher x = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL).matcher(m);
        return x.matches() ? x : null;
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli's handlers see only Exceptions; a JVM Error would otherwise end in a trace.
            // Inputs are bounded (docs/input-limits.md), so this is the machine's limit, not bad input.
            cl.getErr().println("colsparse: internal error: " + (e instanceof OutOfMemoryError
                    ? "out of memory (" + e.getMessage() + "); give the JVM more with COLSPARSE_JAVA_OPTS=-Xmx...g"
                    : "stack overflow"));
            return EXIT_FAILURE;
        }
    }

    /** The full command tree, as help and tests see it. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for a run whose first argument is {@code first}: only that subcommand when it
     * names one (its options and errors are the same as in the full tree), every subcommand otherwise.
     */
    static CommandLine commandLine(String first) {
        // Unless told not to, picocli looks for Groovy's Closure class; the miss opens every jar
        // on the class path (26 with DJL's), which cost `analyze` 30-50 ms.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = null;
        for (Class<?> c : SUBCOMMANDS) {
            if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)) {
                only = c;
            }
        }
        for (Class<?> c : only != null ? List.of(only) : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        // -V/--version of a subcommand prints what `colsparse --version` prints (picocli: nothing, unless each declares it)
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().version(cl.getCommandSpec().version());
            standardHelpStyle(sub.getCommandSpec());
        }
        standardHelpStyle(cl.getCommandSpec());
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
            StringBuilder sb = new StringBuilder();
            for (String name : help.subcommands().keySet()) {
                sb.append(String.format("  %-10s %s%n", name, SUMMARIES.getOrDefault(name, "")));
            }
            return sb.toString();
        });
        cl.setExitCodeExceptionMapper(e -> e instanceof InputException ? EXIT_BAD_INPUT : EXIT_FAILURE);
        cl.setParameterExceptionHandler((ex, args) -> {
            // one line, like every other bad-input error, so scripts can show it as it is
            ex.getCommandLine().getErr().println("colsparse: error: " + parameterMessage(ex.getMessage())
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            while (!(cause instanceof InputException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof InputException) {
                commandLine.getErr().println("colsparse: error: " + cause.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof org.colsparse.runtime.NativeSelfCheck.Failure) {
                // the machine, not the program, is at fault: one line saying what was checked
                commandLine.getErr().println("colsparse: error: " + ex.getMessage());
                return EXIT_FAILURE;
            }
            commandLine.getErr().println("colsparse: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return EXIT_FAILURE;
        });
        return cl;
    }
}
