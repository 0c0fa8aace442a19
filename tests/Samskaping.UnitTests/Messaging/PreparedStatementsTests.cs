using Npgsql;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

/// <summary>The services keep their hot statements prepared, unless the connection string decides otherwise.</summary>
public sealed class PreparedStatementsTests
{
    [Fact]
    public void A_connection_string_that_says_nothing_gets_automatic_preparation()
    {
        ApplyTo("Host=127.0.0.1;Database=cases;Username=postgres").MaxAutoPrepare.ShouldBe(PreparedStatements.DefaultMaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=cases;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;Database=cases;max auto prepare=12", 12)]
    [InlineData("Host=127.0.0.1;Database=cases;MaxAutoPrepare=0", 0)]
    public void A_connection_string_that_chooses_keeps_its_choice(string connectionString, int expected)
    {
        ApplyTo(connectionString).MaxAutoPrepare.ShouldBe(expected);
    }

    private static NpgsqlConnectionStringBuilder ApplyTo(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        PreparedStatements.Apply(builder.ConnectionStringBuilder, connectionString);
        return builder.ConnectionStringBuilder;
    }
}
