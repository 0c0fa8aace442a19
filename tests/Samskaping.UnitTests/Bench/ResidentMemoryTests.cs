using Samskaping.Bench.SystemUnderTest;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class ResidentMemoryTests
{
    [Fact]
    public void Reads_the_total_and_its_anonymous_file_backed_and_shared_parts_in_MiB()
    {
        var memory = ResidentMemory.Parse(
        [
            "Name:\tdotnet",
            "VmPeak:\t 3321044 kB",
            "VmRSS:\t  155176 kB",
            "RssAnon:\t   92160 kB",
            "RssFile:\t   62464 kB",
            "RssShmem:\t     512 kB",
            "Threads:\t35",
        ]);

        memory.ShouldBe(new ResidentMemory(155176 / 1024.0, 90, 61, 0.5));
    }

    [Fact]
    public void A_status_without_the_split_is_refused_rather_than_read_as_zero()
    {
        Should.Throw<InvalidDataException>(() => ResidentMemory.Parse(["VmRSS:\t  155176 kB"]))
            .Message.ShouldContain("RssAnon");
    }
}
