using WasmSpec;

// An infinite loop stopped three ways: by fuel running out, by the engine's epoch advanced from a timer, and by a
// CancellationToken. Each ends the call with an Exhaustion saying why; the store can run again afterwards.
public static class Interruption
{
    const string Spin = """(module (func (export "spin") (loop $forever (br $forever))))""";

    public static void Run(string folder)
    {
        var engine = new Engine(new EngineConfig { Kind = EngineKind.Jit, ConsumeFuel = true, EpochInterruption = true });
        var module = Module.FromText(engine, Spin);
        var linker = new Linker(engine);

        using (var store = new Store(engine))
        {
            store.AddFuel(1_000_000);
            var spin = linker.Instantiate(store, module).GetAction("spin");
            try { spin(); }
            catch (Exhaustion e) { Console.WriteLine($"fuel: {e.Message} ({e.Code}), {store.GetFuel()} left"); }
        }

        using (var store = new Store(engine))
        {
            store.AddFuel(ulong.MaxValue >> 1);
            var spin = linker.Instantiate(store, module).GetAction("spin");
            store.SetEpochDeadline(2);
            using var ticker = new Timer(_ => engine.IncrementEpoch(), null, 10, 10);
            try { spin(); }
            catch (Exhaustion e) { Console.WriteLine($"epoch: {e.Message} ({e.Code})"); }
        }

        using (var store = new Store(engine))
        {
            store.AddFuel(ulong.MaxValue >> 1);
            var spin = linker.Instantiate(store, module).GetAction("spin");
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
            using var registration = store.InterruptOn(cancel.Token);
            try { spin(); }
            catch (Exhaustion e) { Console.WriteLine($"cancellation: {e.Message} ({e.Code})"); }
        }
    }
}
