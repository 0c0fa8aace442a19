using System.Text.RegularExpressions;
using Samskaping.Bench.SystemUnderTest;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class MachineTests
{
    [Fact]
    public void The_kernel_is_the_running_release_not_the_distribution()
    {
        var kernel = Machine.KernelRelease();

        kernel.ShouldMatch(@"^\d+\.\d+");
        kernel.ShouldBe(File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
    }

    [Fact]
    public void The_description_names_the_processor_the_kernel_and_the_load()
    {
        var machine = new Machine(2, "AMD EPYC", 23.5, "Debian GNU/Linux 12 (bookworm)", "6.18.44", ".NET 10.0.12",
            "PostgreSQL 15.18, fsync=off, synchronous_commit=off", "3.10.8", "0.50 0.11 0.04", null);

        var text = Regex.Replace(machine.ToMarkdown(), @"\s+", " ");

        text.ShouldContain("2 cores (AMD EPYC), 23.5 GiB memory, Debian GNU/Linux 12 (bookworm), kernel 6.18.44, .NET 10.0.12;");
        text.ShouldContain("at start 0.50 0.11 0.04, at end -.");
        Machine.CpuModel().ShouldNotBeNullOrWhiteSpace();
    }
}
