namespace Samskaping.Cases.PersonalData;

/// <summary>
/// One pass over every person in id order, a batch at a time (keyset paging from the last id of the batch before), as
/// the re-encryption and the rehash jobs walk the table: each batch is its own transaction, so a pass never holds
/// locks on the whole table and a row changed meanwhile is left for the next pass.
/// </summary>
internal static class PersonPass
{
    /// <param name="batch">Rewrites the batch after the given id; its last id, or null when there was none.</param>
    /// <param name="progress">Told after each batch that rewrote something: that batch's count and the pass's so far.</param>
    public static async Task<(int Rewritten, int Unreadable)> Run(
        Func<Guid, CancellationToken, Task<(int Rewritten, int Unreadable, Guid? Last)>> batch, Action<int, int> progress, CancellationToken ct)
    {
        var (total, unreadable, after) = (0, 0, Guid.Empty);
        while (await batch(after, ct) is { Last: { } last } done)
        {
            total += done.Rewritten;
            unreadable += done.Unreadable;
            after = last;
            if (done.Rewritten > 0)
            {
                progress(done.Rewritten, total);
            }
        }
        return (total, unreadable);
    }
}
