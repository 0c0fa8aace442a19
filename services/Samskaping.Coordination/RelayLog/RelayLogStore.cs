using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Coordination.Groups;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.RelayLog;

/// <summary>
/// The relay log. Rows are only ever inserted (a trigger rejects UPDATE, DELETE and TRUNCATE). Who sees an entry
/// depends on its confidentiality: ordinary — everyone who may see the case; professional secrecy — the author's
/// sector and the lead coordinator; restricted — the author and the lead coordinator. An entry with a data category
/// is shown to a reader whose consents do not name it without its text, marked with what was left out
/// (<see cref="RelayLogRules.Consented"/>).
/// </summary>
public sealed class RelayLogStore(AccessLog accessLog, CaseAccess access, TimeProvider clock)
{
    public const string SystemAuthor = "system";

    private const string Columns = "id, case_id AS CaseId, type, author, author_sector AS AuthorSector, at, confidentiality, text, corrects, category";

    // Kept in step with RelayLogRules.IsVisibleTo.
    private const string VisibleToUser = """
        (r.confidentiality = 'ordinary'
         OR @isLead
         OR (r.confidentiality = 'professional-secrecy' AND r.author_sector = @sector)
         OR (r.confidentiality = 'restricted' AND r.author = @subject))
        """;

    public async Task<IReadOnlyList<RelayLogEntry>> Visible(Guid caseId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        var isLead = await IsLead(connection, null, caseId, user, ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM coordination.relay_log r WHERE r.case_id = @caseId AND {VisibleToUser} ORDER BY r.at, r.id",
            new { caseId, isLead, sector = user.Sector, subject = user.Subject }, cancellationToken: ct));
        var entries = rows.Select(r => r.ToEntry()).ToList();
        var categories = entries.Where(e => e.Category is not null && e.Author != user.Subject).Select(e => e.Category!).Distinct().ToList();
        var withheld = categories.Count == 0 ? [] : await access.Withheld(caseId, user, categories, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read relay log", connection, ct);
        return [.. entries.Select(e => RelayLogRules.Consented(e, user.Subject, withheld))];
    }

    public async Task<Result<RelayLogEntry>> Write(Guid caseId, WriteRelayLogEntry valid, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var taken = await GroupLock.TakeOpen(caseId, tx, ct);
        if (taken.Refusal is { } refusal)
        {
            return refusal;
        }
        var group = taken.Value!;
        if (valid.Corrects is { } corrected)
        {
            // One can only correct an entry one can see, of the same case.
            var found = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT EXISTS (SELECT 1 FROM coordination.relay_log r WHERE r.case_id = @caseId AND r.id = @corrected AND {VisibleToUser})",
                new { caseId, corrected, isLead = group.Lead == user.Subject, sector = user.Sector, subject = user.Subject }, tx, cancellationToken: ct));
            if (!found)
            {
                return Refusal.Unprocessable("The corrected entry does not exist.", "corrects", $"There is no entry {corrected} in this case's relay log that you can see.");
            }
        }
        var now = clock.Now();
        var entry = new RelayLogEntry(Guid.CreateVersion7(now), caseId, valid.Type!, user.Subject, user.Sector, now, valid.Confidentiality!, valid.Text!, valid.Corrects,
            valid.Category);
        await Insert(entry, tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Create, "write relay log entry", tx, ct);
        await tx.CommitAsync(ct);
        return entry;
    }

    /// <summary>An ordinary entry the service writes itself (a handover taken over, a negative effect reported). It has no
    /// data category: the service writes only what every sector working on the case may read.</summary>
    public static Task<int> AppendSystemEntry(Guid caseId, string type, string author, string? authorSector, string text, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct) =>
        Insert(new RelayLogEntry(Guid.CreateVersion7(at), caseId, type, author, authorSector, at, RelayLogRules.Confidentiality.Ordinary, text, null), tx, ct);

    private static Task<int> Insert(RelayLogEntry entry, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.relay_log (id, case_id, type, author, author_sector, at, confidentiality, text, corrects, category)
            VALUES (@Id, @CaseId, @Type, @Author, @AuthorSector, @At, @Confidentiality, @Text, @Corrects, @Category)
            """, entry, tx, cancellationToken: ct));

    private static Task<bool> IsLead(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid caseId, CurrentUser user, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM coordination.lead_coordinators WHERE case_id = @caseId AND until IS NULL AND coordinator = @subject)",
            new { caseId, subject = user.Subject }, tx, cancellationToken: ct));

    private sealed record Row(Guid Id, Guid CaseId, string Type, string Author, string? AuthorSector, DateTime At, string Confidentiality, string Text, Guid? Corrects,
        string? Category)
    {
        public RelayLogEntry ToEntry() => new(Id, CaseId, Type, Author, AuthorSector, At.AsUtc(), Confidentiality, Text, Corrects, Category);
    }
}
