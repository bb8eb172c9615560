using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Cli.Tests;

/// <summary>
/// The faults of the hardening issue, each as the user met it: the command run as its own process, and its clean
/// outcome asserted (status, message, output size, peak resident memory). Memory bounds are linear in the input with a
/// constant for the runtime itself; nothing here measures time.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class HardeningTests
{
    readonly List<string> files = [];

    string Temp(string extension, string? text = null)
    {
        var path = Path.ChangeExtension(Path.GetTempFileName(), extension);
        files.Add(path);
        if (text is not null) File.WriteAllText(path, text);
        return path;
    }

    string Temp(string extension, byte[] bytes)
    {
        var path = Temp(extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [TearDown]
    public void Delete()
    {
        foreach (var f in files) File.Delete(f);
        files.Clear();
    }

    /// <summary>What a .NET process needs for itself, before any input: the constant of the memory bounds.</summary>
    const long RuntimeBytes = 100L << 20;

    static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    /// <summary>
    /// A module whose one function holds <paramref name="depth"/> blocks nested in one another, written byte by byte:
    /// these tests reproduce each fault alone, without the encoder.
    /// </summary>
    static byte[] NestedBlocks(int depth)
    {
        byte[] body = [0, .. Enumerable.Repeat<byte[]>([0x02, 0x40], depth).SelectMany(b => b), 0x01, .. Enumerable.Repeat<byte>(0x0B, depth + 1)];
        return [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, .. Section(1, [1, 0x60, 0, 0]), .. Section(3, [1, 0]), .. Section(10, [1, .. Leb128(body.Length), .. body])];

        static byte[] Section(byte id, byte[] content) => [id, .. Leb128(content.Length), .. content];

        static byte[] Leb128(int n)
        {
            var b = new List<byte>();
            for (; n >= 0x80; n >>= 7) b.Add((byte)(n | 0x80));
            b.Add((byte)n);
            return [.. b];
        }
    }

    /// <summary>How deeply the first function's body nests, walking into the last instruction of each sequence.</summary>
    static int Depth(Module m)
    {
        int depth = 0;
        for (var seq = m.Funcs[0].Body.Instrs; ; depth++)
        {
            var inner = seq.Last() switch
            {
                Block b => b.Body, If i => i.Then, TryTable t => t.Body, _ => (ImmutableArray<Instr>?)null,
            };
            if (inner is not { } next) return depth;
            seq = next;
        }
    }

    // Row 1: wat2wasm on blocks, folded ifs or try_tables nested 3,500 deep overflowed the stack in the encoder.
    [TestCase("(block ", ")")]
    [TestCase("(if (i32.const 1) (then ", "))")]
    [TestCase("(try_table (catch_all 0) ", ")")]
    public void Wat2wasm_encodes_deep_nesting(string open, string close)
    {
        const int depth = 3_500;
        var source = $"(module (func {Repeat(open, depth)}nop{Repeat(close, depth)}))";
        var wat = Temp(".wat", source);
        var wasm = Temp(".wasm");
        using var ran = Processes.Wasmspec("wat2wasm", wat, "-o", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(Depth(Binary.Decode(File.ReadAllBytes(wasm))), Is.EqualTo(depth));
    }

    // Row 14: a valid 100,000-deep module went through wasm2wat but not back: the text parser stopped at ~16,500.
    [Test]
    public void A_module_nested_100_000_deep_round_trips_through_both_formats()
    {
        var original = NestedBlocks(100_000);
        var wasm = Temp(".wasm", original);
        var wat = Temp(".wat");
        var back = Temp(".wasm");
        using (var ran = Processes.Wasmspec("wasm2wat", wasm, "-o", wat))
            Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        using (var ran = Processes.Wasmspec("wat2wasm", wat, "-o", back))
            Assert.That((ran.Status, ran.Stderr), Is.EqualTo((0, "")), ran.ToString());
        Assert.That(File.ReadAllBytes(back), Is.EqualTo(original));
    }

    // Row 4: dump of a 30 KB module of nested blocks built 200 MB of output in memory (843 MB resident).
    [Test]
    public void Dump_output_and_memory_are_linear_in_the_module()
    {
        var module = NestedBlocks(10_000);
        Assert.That(module.Length, Is.InRange(29_000, 31_000));
        var wasm = Temp(".wasm", module);
        using var ran = Processes.Wasmspec("dump", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(ran.StdoutLength, Is.LessThan(100L * module.Length), "at most 100 bytes of text per byte of code");
        Assert.That(File.ReadLines(ran.StdoutPath).Count(l => l.EndsWith("| " + new string(' ', 64) + "block")), Is.GreaterThan(9_900),
            "indentation stops growing at 32 levels");
        Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + 2L * ran.StdoutLength), ran.ToString());
    }

    // Row 11: wasm2wat on a module with a 32 MB custom section took 1.28 GB.
    [Test]
    public void Wasm2wat_streams_a_large_custom_section()
    {
        const int size = 32 << 20;
        var bytes = Binary.Encode(Module.Empty with { Customs = [new CustomSection("big", [.. new byte[size]], SectionId.Custom)] });
        var wasm = Temp(".wasm", bytes);
        using var ran = Processes.Wasmspec("wasm2wat", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(ran.StdoutLength, Is.EqualTo("(module\n  (@custom \"big\" (before first) \"".Length + 3L * size + "\")\n)\n".Length));
        Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + 4L * size), ran.ToString());
    }

    // Row 13: proc_exit(256) gave status 0, a failure reported as success.
    [TestCase(0, 0)]
    [TestCase(7, 7)]
    [TestCase(125, 125)]
    [TestCase(126, 126)]
    [TestCase(134, 126)]
    [TestCase(256, 126)]
    [TestCase(-1, 126)]
    public void Run_passes_exit_statuses_0_to_125_through_and_reports_any_other(int code, int status)
    {
        var wat = Temp(".wat", $$"""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "bye\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 4))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $exit (i32.const {{code}}))))
            """);
        using var ran = Processes.Wasmspec("run", wat);
        Assert.That((ran.Status, ran.Crashed, ran.Stdout), Is.EqualTo((status, false, "bye\n")), ran.ToString());
        if (code is >= 0 and <= 125) Assert.That(ran.Stderr, Is.Empty);
        else Assert.That(ran.Stderr, Is.EqualTo($"wasmspec run: the program exited with status {(uint)code}, outside 0-125\n"));
    }

    /// <summary>A WASI program that opens "." until that fails, then prints how many it opened and the errno.</summary>
    const string OpenUntilFailure = """
        (module
          (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) ".")
          (data (i32.const 300) " errno ")
          (data (i32.const 310) "opened ")
          ;; the decimal digits of $v, ending just before $end; returns where they begin
          (func $digits (param $v i32) (param $end i32) (result i32)
            (loop $l
              (local.set $end (i32.sub (local.get $end) (i32.const 1)))
              (i32.store8 (local.get $end) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
              (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
              (br_if $l (local.get $v)))
            (local.get $end))
          (func (export "_start") (local $n i32) (local $e i32) (local $p i32)
            (block $done
              (loop $l
                (local.set $e (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 2) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 16)))
                (br_if $done (local.get $e))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $l)))
            (i32.store8 (i32.const 199) (i32.const 10))
            (local.set $p (i32.sub (call $digits (local.get $e) (i32.const 199)) (i32.const 7)))
            (memory.copy (local.get $p) (i32.const 300) (i32.const 7))
            (local.set $p (i32.sub (call $digits (local.get $n) (local.get $p)) (i32.const 7)))
            (memory.copy (local.get $p) (i32.const 310) (i32.const 7))
            (i32.store (i32.const 32) (local.get $p))
            (i32.store (i32.const 36) (i32.sub (i32.const 200) (local.get $p)))
            (drop (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))))
        """;

    // Row 2: a guest opening "." until it failed made the runtime abort after ~20,000 host descriptors, and with a
    // low ulimit -n the run exited 0 with the guest's output lost. EMFILE is errno 33.
    [Test]
    public void A_guest_runs_out_of_descriptors_not_the_process()
    {
        var wat = Temp(".wat", OpenUntilFailure);
        var dir = Directory.CreateTempSubdirectory("wasi-fds-");
        try
        {
            // The limit counts the standard streams and the preopened directory.
            using (var ran = Processes.Wasmspec("run", "--max-fds", "64", "--dir", dir.FullName, wat))
                Assert.That((ran.Status, ran.Stdout), Is.EqualTo((0, "opened 60 errno 33\n")), ran.ToString());
            using (var ran = Processes.WasmspecWithFileLimit(4096, "run", "--dir", dir.FullName, wat))
                Assert.That((ran.Status, ran.Stdout), Is.EqualTo((0, "opened 1020 errno 33\n")), "the default is 1024: " + ran);
            // Under a low limit the default leaves the process half of what it has left.
            using (var ran = Processes.WasmspecWithFileLimit(160, "run", "--dir", dir.FullName, wat))
            {
                Assert.That((ran.Status, ran.Crashed, ran.Stderr), Is.EqualTo((0, false, "")), ran.ToString());
                var opened = Regex.Match(ran.Stdout, @"^opened (\d+) errno 33\n$");
                Assert.That(opened.Success, ran.Stdout);
                Assert.That(int.Parse(opened.Groups[1].Value), Is.InRange(1, 80));
            }
        }
        finally { dir.Delete(recursive: true); }
    }

    // Row 12: --json, --update-expected and --rule-coverage into a missing folder threw after the whole run.
    [TestCase("--json")]
    [TestCase("--update-expected")]
    [TestCase("--rule-coverage")]
    public void Wast_run_refuses_an_unwritable_report_before_running(string option)
    {
        var script = Temp(".wast", "(module (func (export \"f\")))\n(assert_return (invoke \"f\"))\n");
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "report");
        using var ran = Processes.WastRun(option, missing, script);
        Assert.That((ran.Status, ran.Crashed, ran.Stdout), Is.EqualTo((2, false, "")), ran.ToString());
        Assert.That(ran.Stderr, Does.StartWith($"wast-run: cannot write {missing}: "));
    }

    // Row 3: 10^6 nested (thread ...) forms overflowed the stack in the WAST parser.
    [Test]
    public void Wast_run_reads_threads_nested_a_million_deep()
    {
        const int depth = 1_000_000;
        var script = Temp(".wast", $"(module)\n{Repeat("(thread $t ", depth)}{new string(')', depth)}\n");
        using var ran = Processes.WastRun("-v", script);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((1, false)), ran.ToString());
        // Threads run: 64 start, one inside the other, and the next one is refused rather than the million.
        Assert.That(ran.Stdout, Does.Contain("thread (execute): thread limit reached: a script may start at most 64 threads"));
        Assert.That(ran.Stdout, Does.EndWith("wast-run: 65 passed, 1 failed, 0 skipped\n"));
    }

    // Row 10: a failing assert_return with (either ...) nested 40,000 deep built its message quadratically (> 120 s).
    [Test]
    public void A_deep_either_pattern_fails_with_a_short_message()
    {
        const int depth = 40_000;
        var script = Temp(".wast", "(module (func (export \"one\") (result i32) (i32.const 1)))\n" +
            $"(assert_return (invoke \"one\") {Repeat("(either (i32.const 2) ", depth)}(i32.const 3){new string(')', depth)})\n");
        using var ran = Processes.WastRun("-v", script);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((1, false)), ran.ToString());
        var failure = File.ReadLines(ran.StdoutPath).Single(l => l.Contains("assert_return (execute)"));
        Assert.That(failure, Does.Contain("result [(i32.const 1)], expected [(either (i32.const 2) (either (i32.const 2) "));
        Assert.That(failure, Does.EndWith("...]"));
        Assert.That(failure.Length, Is.LessThan(2_300), "a pattern is shown up to 2,000 characters, however deep");
    }
    // Row 5: array.new_default of 16 Mi i8 took 549 MB (32 bytes an element), and no limit bounded the GC heap.
    [Test]
    public void Gc_arrays_are_stored_packed_and_the_heap_is_bounded()
    {
        var wat = Temp(".wat", """
            (module (type $a (array (mut i8)))
              (func (export "make") (param i32) (result i32) (array.len (array.new_default $a (local.get 0)))))
            """);
        using (var ran = Processes.Wasmspec("run", "--invoke", "make", wat, (16 << 20).ToString()))
        {
            Assert.That((ran.Status, ran.Stdout), Is.EqualTo((0, $"{16 << 20}\n")), ran.ToString());
            Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + (48L << 20)), "one byte an element, with room for the runtime: " + ran);
        }
        using (var ran = Processes.Wasmspec("run", "--max-gc-heap", "8MiB", "--invoke", "make", wat, (16 << 20).ToString()))
        {
            Assert.That((ran.Status, ran.Crashed), Is.EqualTo((135, false)), ran.ToString());
            Assert.That(ran.Stderr, Is.EqualTo("wasmspec run: store limit reached: MaxGcHeapBytes = 8388608 (bytes of live structs and arrays)\n"));
        }
        using (var ran = Processes.Wasmspec("run", "--invoke", "make", wat, "2147483647"))
            Assert.That((ran.Status, ran.Crashed), Is.EqualTo((135, false)), "an array larger than the heap's limit is refused: " + ran);
    }

    // Row 6: 100 tables of 10 M entries in a 4 KB module took ~8 GB: each table was capped, their sum was not.
    [Test]
    public void Tables_are_bounded_together()
    {
        var wat = Temp(".wat", $"(module {Repeat("(table 10000000 funcref)", 100)} (func (export \"f\")))");
        using var ran = Processes.Wasmspec("run", "--invoke", "f", wat);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((135, false)), ran.ToString());
        Assert.That(ran.Stderr, Is.EqualTo("wasmspec run: store limit reached: MaxTableElements = 10000000 (elements of all tables)\n"));
        Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + (400L << 20)), ran.ToString());
    }

    // Row 7: ref.test in a loop over a 100,000-deep subtype chain spent 1.8 ms per unit of fuel, walking the chain.
    // Now a cast looks at most 32 ancestors (Validation's subtyping tests count them); here the run ends as fuel says.
    [Test]
    public void Fuel_ends_casts_against_a_deep_subtype_chain()
    {
        const int depth = 100_000;
        var types = new StringBuilder("(type $t0 (sub (struct)))");
        for (int k = 1; k < depth; k++) types.Append($"(type $t{k} (sub $t{k - 1} (struct)))");
        var wat = Temp(".wat", $$"""
            (module {{types}}
              (func (export "f") (local $r (ref null $t{{depth - 1}}))
                (local.set $r (struct.new $t{{depth - 1}}))
                (loop $l (br_if $l (ref.test (ref $t0) (local.get $r))))))
            """);
        foreach (var engine in new[] { "interp", "jit" })
        {
            using var ran = Processes.Wasmspec("run", "--engine", engine, "--fuel", "20000", "--invoke", "f", wat);
            Assert.That((ran.Status, ran.Crashed, ran.Stderr), Is.EqualTo((135, false, "wasmspec run: fuel exhausted\n")), engine + ": " + ran);
        }
    }

    // Row 8: trace --limit 10 on a module whose start function loops never stopped: the limit only counted the
    // invocation's steps. Now instantiation's steps are counted and printed too.
    [Test]
    public void Trace_limit_stops_a_looping_start_function()
    {
        var wat = Temp(".wat", """(module (func $spin (loop (br 0))) (func (export "f")) (start $spin))""");
        using var ran = Processes.Wasmspec("trace", wat, "--invoke", "f", "--limit", "10");
        var output = File.ReadAllLines(ran.StdoutPath);
        // the steps on stdout, the stop on stderr as every diagnostic
        Assert.That((ran.Status, ran.Crashed, ran.Stderr.TrimEnd()), Is.EqualTo((135, false, "wasmspec trace: stopped after 10 steps (--limit N for more)")), ran.ToString());
        // the start function's steps, each with its configuration
        Assert.That(output.Count(l => l.EndsWith("(instantiation)")), Is.EqualTo(10));
        Assert.That(output.Last(l => l.EndsWith("(instantiation)")), Does.StartWith("    10  "));
    }

    // Row 9: poll_oneoff with a timeout of 2^64-1 blocked forever; nothing could stop it.
    [Test]
    public void A_deadline_stops_a_program_blocked_in_poll_oneoff()
    {
        var wat = Temp(".wat", """
            (module
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 16) (i32.const 1))
                (i64.store (i32.const 24) (i64.const -1))
                (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))
            """);
        foreach (var engine in new[] { "interp", "jit" })
        {
            using var ran = Processes.Wasmspec("run", "--engine", engine, "--timeout", "200ms", wat);
            Assert.That((ran.Status, ran.Crashed, ran.Stderr), Is.EqualTo((142, false, "wasmspec run: deadline exceeded\n")), engine + ": " + ran);
        }
    }

    // Item 4: a per-file deadline in wast-run; what is left of the file fails with "deadline exceeded".
    [Test]
    public void Wast_run_stops_a_file_at_its_deadline()
    {
        var script = Temp(".wast", """
            (module (func (export "spin") (loop (br 0))) (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 1))
            (assert_return (invoke "spin"))
            (assert_return (invoke "one") (i32.const 1))
            """);
        using var ran = Processes.WastRun("--timeout", "500ms", "-v", script);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((1, false)), ran.ToString());
        Assert.That(ran.Stdout, Does.Contain(":3 assert_return (execute): deadline exceeded"), "the loop ends at the deadline");
        Assert.That(ran.Stdout, Does.Contain(":4 assert_return (execute): deadline exceeded"), "and what follows it fails at once");
    }

    /// <summary>A script that passes, and one whose assertion fails.</summary>
    const string Passing = "(module (func (export \"f\") (result i32) (i32.const 1)))\n(assert_return (invoke \"f\") (i32.const 1))\n";
    const string Failing = "(module (func (export \"f\") (result i32) (i32.const 1)))\n(assert_return (invoke \"f\") (i32.const 2))\n";

    // Item 5: one table of exit statuses for every command (the README's), each ending distinct.
    [Test]
    public void Every_command_follows_the_exit_status_table()
    {
        var valid = Temp(".wat", "(module (func (export \"f\")))");
        var invalid = Temp(".wat", "(module (func (result i32)))");
        var malformed = Temp(".wasm", [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5]);
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.wasm");
        var traps = Temp(".wat", "(module (func (export \"f\") unreachable))");
        var loops = Temp(".wat", "(module (func (export \"f\") (loop (br 0))))");
        var recurses = Temp(".wat", "(module (func $f (export \"f\") (call $f)))");
        var passing = Temp(".wast", Passing);
        var failing = Temp(".wast", Failing);
        (string[] Args, bool Wast, int Status)[] table =
        [
            (["validate", valid], false, 0),
            (["validate", invalid], false, 1),
            (["validate", missing], false, 2),
            (["validate"], false, 2),
            (["wat2wasm", valid, "-o", Temp(".wasm")], false, 0),
            (["wat2wasm", invalid, "-o", Path.Combine(Path.GetDirectoryName(missing)!, "out.wasm")], false, 2),
            (["wasm2wat", malformed], false, 1),
            (["wasm2wat", missing], false, 2),
            (["dump", malformed], false, 1),
            (["dump", missing], false, 2),
            (["dump"], false, 2),
            (["trace", traps, "--invoke", "f"], false, 134),
            (["trace", loops, "--invoke", "f", "--limit", "100"], false, 135),
            (["trace", valid, "--invoke", "f", "surplus"], false, 2),
            (["run", "--invoke", "f", traps], false, 134),
            (["run", "--invoke", "f", recurses], false, 135),
            (["run", "--timeout", "100ms", "--invoke", "f", loops], false, 142),
            (["run", "--timeout", "100", "--invoke", "f", loops], false, 2),
            (["run", "--max-memory", "lots", valid], false, 2),
            (["run", "--invoke", "f", invalid], false, 1),
            (["run", "--no-such-option", valid], false, 2),
            (["run", missing], false, 2),
            (["no-such-command"], false, 2),
            ([passing], true, 0),
            ([failing], true, 1),
            (["--no-such-option", passing], true, 2),
        ];
        foreach (var (args, wast, status) in table)
        {
            using var ran = wast ? Processes.WastRun(args) : Processes.Wasmspec(args);
            Assert.That((ran.Status, ran.Crashed), Is.EqualTo((status, false)), $"{(wast ? "wast-run" : "wasmspec")} {string.Join(' ', args)}: {ran}");
        }
    }
}
