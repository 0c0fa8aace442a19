using Samskaping.Contracts;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;
using Samskaping.Messaging.Outbox;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

public sealed class MessageTypesTests
{
    [Fact]
    public void An_outbox_row_names_its_type_without_the_assembly_and_the_name_leads_back_to_the_type()
    {
        MessageTypes.NameOf(typeof(CaseOpened)).ShouldBe("Samskaping.Contracts.Cases.CaseOpened");
        MessageTypes.Resolve("Samskaping.Contracts.Cases.CaseOpened").ShouldBe(typeof(CaseOpened));
        MessageTypes.Resolve(MessageTypes.NameOf(typeof(FundLow))).ShouldBe(typeof(FundLow));
    }

    [Fact]
    public void Only_the_contracts_message_records_are_named_or_resolved()
    {
        Should.Throw<ArgumentException>(() => MessageTypes.NameOf(typeof(string)));
        MessageTypes.Resolve("System.Diagnostics.Process").ShouldBeNull();
        MessageTypes.Resolve("Samskaping.Contracts.Cases.CaseOpened, Samskaping.Contracts").ShouldBeNull("the migration strips the assembly from older rows");
        MessageTypes.Resolve(typeof(Sectors).FullName!).ShouldBeNull("a class of constants is no message");
    }
}
