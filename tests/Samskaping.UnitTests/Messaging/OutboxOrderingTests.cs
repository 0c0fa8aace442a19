using Samskaping.Messaging.Outbox;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

public sealed class OutboxOrderingTests
{
    private static OutboxRelay.OutboxRow Row(Guid? caseId) => new(Guid.NewGuid(), "T", caseId, "{}", null, DateTime.UtcNow);

    [Fact]
    public void Rows_about_the_same_case_share_an_ordering_key_so_they_are_published_one_after_the_other()
    {
        var caseId = Guid.NewGuid();

        OutboxRelay.OrderingKey(Row(caseId)).ShouldBe(OutboxRelay.OrderingKey(Row(caseId)));
    }

    [Fact]
    public void Rows_about_different_cases_or_about_no_case_are_published_side_by_side()
    {
        OutboxRelay.OrderingKey(Row(Guid.NewGuid())).ShouldNotBe(OutboxRelay.OrderingKey(Row(Guid.NewGuid())));
        OutboxRelay.OrderingKey(Row(null)).ShouldNotBe(OutboxRelay.OrderingKey(Row(null)));
    }
}
