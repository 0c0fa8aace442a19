using Npgsql;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

/// <summary>
/// The services keep their hot statements prepared and do not reset connections going back to the pool, unless the
/// connection string decides otherwise.
/// </summary>
public sealed class PooledConnectionsTests
{
    [Fact]
    public void A_connection_string_that_says_nothing_gets_automatic_preparation_and_no_reset_on_close()
    {
        var applied = ApplyTo("Host=127.0.0.1;Database=cases;Username=postgres");

        applied.MaxAutoPrepare.ShouldBe(PooledConnections.DefaultMaxAutoPrepare);
        applied.NoResetOnClose.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=cases;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;Database=cases;max auto prepare=12", 12)]
    [InlineData("Host=127.0.0.1;Database=cases;MaxAutoPrepare=0", 0)]
    public void A_connection_string_that_chooses_its_preparation_keeps_its_choice(string connectionString, int expected)
    {
        ApplyTo(connectionString).MaxAutoPrepare.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=cases;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;Database=cases;noresetonclose=False")]
    public void A_connection_string_that_asks_for_the_reset_keeps_it(string connectionString)
    {
        ApplyTo(connectionString).NoResetOnClose.ShouldBeFalse();
    }

    private static NpgsqlConnectionStringBuilder ApplyTo(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        PooledConnections.Apply(builder.ConnectionStringBuilder, connectionString);
        return builder.ConnectionStringBuilder;
    }
}
