using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Access;

/// <summary>
/// The access rule of docs/architecture.md §5 as every service applies it, against the real database: participation and a
/// valid consent covering the sector, or being the lead; before any consent the opening sector is covered.
/// </summary>
public sealed class CaseAccessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly CurrentUser Oppvekst = new("ola", "Ola", Roles.Caseworker, Sectors.Oppvekst);
    private static readonly CurrentUser Kultur = new("kari", "Kari", Roles.Caseworker, Sectors.Kultur);
    private static readonly CurrentUser Nav = new("nils", "Nils", Roles.Caseworker, Sectors.Nav);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly Guid _caseId = Guid.CreateVersion7();
    private TestDatabase? _database;
    private IHost? _host;

    private CaseAccess Access => _host!.Services.GetRequiredService<CaseAccess>();

    private CaseParticipation Participation => _host!.Services.GetRequiredService<CaseParticipation>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create("access");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Database"] = _database.ConnectionString });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.AddCaseAccess(ConsentPurposes.Coordination);
        _host = builder.Build();
        await _host.StartAsync();
        await Write(tx => CaseAccess.RecordOpening(_caseId, Sectors.Oppvekst, Start, tx, default));
        await Write(tx => CaseParticipation.Record(_caseId, Sectors.Oppvekst, "lead", participating: true, Start, tx, default));
        await Write(tx => CaseParticipation.Record(_caseId, Sectors.Kultur, "contributor", participating: true, Start, tx, default));
    }

    [Fact]
    public async Task Before_any_consent_only_the_opening_sector_sees_the_case()
    {
        (await Access.CanSee(_caseId, Oppvekst, default)).ShouldBeTrue();
        (await Access.CanSee(_caseId, Kultur, default)).ShouldBeFalse("kultur participates but no consent covers it yet");
        (await Access.CanSee(_caseId, Nav, default)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_consent_covers_only_participating_sectors_it_names_while_valid()
    {
        await Write(tx => CaseAccess.RecordConsent(Consent([Sectors.Kultur, Sectors.Nav], validTo: Start.AddDays(30)), tx, default));

        (await Access.CanSee(_caseId, Kultur, default)).ShouldBeTrue();
        (await Access.CanSee(_caseId, Nav, default)).ShouldBeFalse("nav is named in the consent but does not participate");
        (await Access.CanSee(_caseId, Oppvekst, default)).ShouldBeFalse("once a consent exists, the opening sector needs one too");
        (await Access.ConsentCovers(_caseId, Sectors.Nav, default)).ShouldBeTrue();

        _clock.Advance(TimeSpan.FromDays(30));
        (await Access.CanSee(_caseId, Kultur, default)).ShouldBeFalse("the consent expired");
    }

    [Fact]
    public async Task A_withdrawn_consent_covers_nothing_even_when_the_withdrawal_is_known_first()
    {
        var consent = Consent([Sectors.Kultur], validTo: null);
        await Write(tx => CaseAccess.RecordWithdrawal(
            new ConsentWithdrawn(_caseId, consent.ConsentId, consent.PersonId, "changed mind", "ola", Start.AddHours(1)), tx, default));
        await Write(tx => CaseAccess.RecordConsent(consent, tx, default));

        (await Access.CanSee(_caseId, Kultur, default)).ShouldBeTrue("the withdrawal lies in the future");
        _clock.Advance(TimeSpan.FromHours(1));
        (await Access.CanSee(_caseId, Kultur, default)).ShouldBeFalse();
        (await Access.ConsentCovers(_caseId, Sectors.Kultur, default)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_lead_coordinator_sees_the_case_whatever_the_consent_and_an_older_assignment_never_wins()
    {
        await Write(tx => CaseAccess.RecordConsent(Consent([Sectors.Kultur], validTo: null), tx, default));
        var nilsAsLead = new CurrentUser("nils", "Nils", Roles.Coordinator, Sectors.Nav);
        await Write(tx => CaseAccess.RecordLead(new CoordinatorAssigned(_caseId, "nils", Sectors.Nav, Start.AddMinutes(5)), tx, default));
        await Write(tx => CaseAccess.RecordLead(new CoordinatorAssigned(_caseId, "ola", Sectors.Oppvekst, Start), tx, default));

        (await Access.Lead(_caseId, default)).ShouldBe("nils");
        (await Access.CanSee(_caseId, nilsAsLead, default)).ShouldBeTrue();
        (await Access.CanSee(_caseId, Oppvekst, default)).ShouldBeFalse("ola's older assignment arrived late and must not win");
    }

    [Fact]
    public async Task An_opening_makes_its_sector_the_participating_lead_and_the_opener_lead_coordinator_unless_newer_changes_arrived_first()
    {
        var opened = Guid.CreateVersion7();
        var anna = new CurrentUser("anna", "Anna", Roles.Coordinator, Sectors.Kultur);
        await Write(tx => CaseAccess.RecordOpened(opened, Sectors.Kultur, "anna", Start, tx, default));

        (await Access.Lead(opened, default)).ShouldBe("anna");
        (await Access.CanSee(opened, anna, default)).ShouldBeTrue();
        (await Access.CanSee(opened, Kultur, default)).ShouldBeTrue("the opening sector participates as lead before any consent");
        (await Access.CanSee(opened, Nav, default)).ShouldBeFalse();
        (await Participation.Sectors(opened, default)).ShouldBe([Sectors.Kultur]);

        // Another case whose handover and departure reached this service before its CaseOpened (another publisher, no order):
        var late = Guid.CreateVersion7();
        await Write(tx => CaseAccess.RecordLead(new CoordinatorAssigned(late, "nils", Sectors.Nav, Start.AddMinutes(5)), tx, default));
        await Write(tx => CaseParticipation.Record(late, Sectors.Kultur, "contributor", participating: false, Start.AddMinutes(6), tx, default));
        await Write(tx => CaseAccess.RecordOpened(late, Sectors.Kultur, "anna", Start, tx, default));
        await Write(tx => CaseAccess.RecordOpened(late, Sectors.Kultur, "anna", Start, tx, default)); // and once more: idempotent

        (await Access.Lead(late, default)).ShouldBe("nils", "the newer assignment is kept");
        (await Participation.Sectors(late, default)).ShouldBeEmpty("the newer departure is kept");
    }

    [Fact]
    public async Task The_list_predicate_gives_the_same_answer_as_the_single_check()
    {
        var other = Guid.CreateVersion7();
        await Write(tx => CaseAccess.RecordOpening(other, Sectors.Kultur, Start, tx, default));
        await Write(tx => CaseParticipation.Record(other, Sectors.Kultur, "lead", participating: true, Start, tx, default));

        await using var connection = await _host!.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var visible = await Dapper.SqlMapper.QueryAsync<Guid>(connection,
            $"SELECT case_id FROM access.case_openings o WHERE {CaseAccess.VisiblePredicate("o.case_id")} ORDER BY case_id",
            Access.Parameters(Kultur));
        visible.ShouldBe([other]);
    }

    private ConsentGiven Consent(IReadOnlyList<string> sectors, DateTimeOffset? validTo)
    {
        var person = Guid.CreateVersion7();
        return new ConsentGiven(_caseId, Guid.CreateVersion7(), person, person, sectors,
            [ConsentPurposes.Coordination], [DataCategories.Needs], Start, validTo, "ola", Start);
    }

    [Fact]
    public async Task A_page_of_cases_probes_the_access_tables_per_case_and_never_hashes_a_whole_table()
    {
        // Many cases the caller's sector opened, and a page of 21 of them, newest first, as the work list asks.
        await using var connection = await _host!.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var fill = new NpgsqlCommand("""
            INSERT INTO access.case_openings (case_id, sector, opened_at)
            SELECT md5('case' || n)::uuid, 'oppvekst', @start - n * interval '1 minute' FROM generate_series(1, 20000) n;
            INSERT INTO access.case_sectors (case_id, sector, role, participating, changed_at)
            SELECT md5('case' || n)::uuid, 'oppvekst', 'lead', true, @start FROM generate_series(1, 20000) n;
            ANALYZE access.case_openings; ANALYZE access.case_sectors; ANALYZE access.case_consents; ANALYZE access.case_leads;
            """, connection))
        {
            fill.Parameters.AddWithValue("start", Start);
            await fill.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand($"""
            EXPLAIN SELECT o.case_id FROM access.case_openings o
            WHERE {CaseAccess.VisiblePredicate("o.case_id")}
            ORDER BY o.opened_at DESC LIMIT 21
            """, connection);
        explain.Parameters.AddWithValue("accessSector", Oppvekst.Sector);
        explain.Parameters.AddWithValue("accessSubject", Oppvekst.Subject);
        explain.Parameters.AddWithValue("accessPurpose", ConsentPurposes.Coordination);
        explain.Parameters.AddWithValue("accessNow", Start);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        string.Join("\n", plan).ShouldNotContain("hashed SubPlan", Case.Sensitive,
            "a hashed subplan reads the whole access table for every page, however few cases it needs:\n" + string.Join("\n", plan));
    }

    private async Task Write(Func<NpgsqlTransaction, Task> change)
    {
        await using var connection = await _host!.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await change(tx);
        await tx.CommitAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
