using System.Globalization;
using System.Text;
using MassTransit;
using Samskaping.Contracts.Benefits;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.RelayLog;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>
/// The benefit system told us a household member's benefit was granted, changed or stopped: an ordinary
/// relay-log note, so every sector working on the case can coordinate flexible money with it. It names no person
/// and no identity number; the worker who needs to know who looks up the household's benefits.
/// </summary>
public sealed class BenefitStatusChangedConsumer(Inbox inbox) : IConsumer<BenefitStatusChanged>
{
    public Task Consume(ConsumeContext<BenefitStatusChanged> context) =>
        inbox.Receive(context, nameof(BenefitStatusChangedConsumer), async (tx, ct) =>
        {
            var changed = context.Message;
            _ = await GroupLock.Take(changed.CaseId, tx, ct)
                ?? throw new InvalidOperationException($"No coordination group for case {changed.CaseId} yet; the message is retried.");
            await RelayLogStore.AppendSystemEntry(changed.CaseId, "note", RelayLogStore.SystemAuthor, null, RelayText(changed), changed.ReceivedAt, tx, ct);
        });

    /// <summary>"Benefit system: økonomisk sosialhjelp granted for a household member from 2026-01-01 (8450.00 NOK per month)."</summary>
    public static string RelayText(BenefitStatusChanged changed)
    {
        var text = new StringBuilder("Benefit system: ").Append(changed.Benefit).Append(' ').Append(changed.Status).Append(" for a household member");
        if (changed.From is { } from)
        {
            text.Append(" from ").Append(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (changed.To is { } to)
        {
            text.Append(changed.From is null ? " until " : " to ").Append(to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (changed.MonthlyAmount is { } amount)
        {
            text.Append(" (").Append(amount.ToString("0.00", CultureInfo.InvariantCulture)).Append(" NOK per month)");
        }
        return text.Append('.').ToString();
    }
}
