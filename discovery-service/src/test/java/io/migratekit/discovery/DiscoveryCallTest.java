package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaDtos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryCallTest {

    private static final VcenterCredentials.Login VC1 =
            new VcenterCredentials.Login("vc-01.example", "svc-discovery@vsphere.test", "only-a-test-password");
    private static final VcenterCredentials.Login VC2 =
            new VcenterCredentials.Login("vc-02.example", "svc-discovery@vsphere.test", "only-a-test-password");

    @Test
    void requestsOfOneTargetShareOneCallWithTheirDistinctNamesJoined() {
        // given: pgtest1 is requested twice
        List<DiscoveryCall.Member> members = members(
                VC1, "DemoDC", "pgtest1",
                VC1, "DemoDC", "pgtest2",
                VC1, "DemoDC", "pgtest1",
                VC1, "DemoDC", "web-01");

        // when
        List<DiscoveryCall> calls = DiscoveryCall.plan(members, 50);

        // then
        assertThat(calls).containsExactly(new DiscoveryCall(VC1, "DemoDC", members));
        assertThat(calls.get(0).names()).containsExactly("pgtest1", "pgtest2", "web-01");
        assertThat(calls.get(0).filter()).isEqualTo("pgtest1,pgtest2,web-01");
    }

    @Test
    void anotherLoginOrDatacenterIsAnotherCall() {
        // given: another vCenter, another datacenter, no datacenter, and a second login for the same vCenter
        VcenterCredentials.Login otherUser = new VcenterCredentials.Login("vc-01.example", "someone-else", "pw");
        List<DiscoveryCall.Member> members = members(
                VC1, "DemoDC", "pgtest1",
                VC2, "DemoDC", "pgtest2",
                VC1, "OtherDC", "pgtest3",
                VC1, null, "pgtest4",
                otherUser, "DemoDC", "pgtest5",
                VC1, "DemoDC", "pgtest6");

        // when
        List<DiscoveryCall> calls = DiscoveryCall.plan(members, 50);

        // then
        assertThat(calls).containsExactly(
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(0), members.get(5))),
                new DiscoveryCall(VC2, "DemoDC", List.of(members.get(1))),
                new DiscoveryCall(VC1, "OtherDC", List.of(members.get(2))),
                new DiscoveryCall(VC1, null, List.of(members.get(3))),
                new DiscoveryCall(otherUser, "DemoDC", List.of(members.get(4))));
        assertThat(calls).extracting(DiscoveryCall::filter)
                .containsExactly("pgtest1,pgtest6", "pgtest2", "pgtest3", "pgtest4", "pgtest5");
    }

    @Test
    void moreNamesThanACallTakesAreSplitAndARepeatedNameJoinsItsCall() {
        // given: at most two names a call; vm-a again after its call is full
        List<DiscoveryCall.Member> members = members(
                VC1, "DemoDC", "vm-a",
                VC1, "DemoDC", "vm-b",
                VC1, "DemoDC", "vm-c",
                VC1, "DemoDC", "vm-d",
                VC1, "DemoDC", "vm-a",
                VC1, "DemoDC", "vm-e");

        // when
        List<DiscoveryCall> calls = DiscoveryCall.plan(members, 2);

        // then
        assertThat(calls).containsExactly(
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(0), members.get(1), members.get(4))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(2), members.get(3))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(5))));
        assertThat(calls).extracting(DiscoveryCall::filter).containsExactly("vm-a,vm-b", "vm-c,vm-d", "vm-e");
    }

    @Test
    void aNameThatIsNotExactlyOneFilterTermIsAskedInACallOfItsOwn() {
        // given: a comma, a blank name and a name the VMA would trim, between two ordinary names
        List<DiscoveryCall.Member> members = members(
                VC1, "DemoDC", "pgtest1",
                VC1, "DemoDC", "db,prod",
                VC1, "DemoDC", " ",
                VC1, "DemoDC", "web-01 ",
                VC1, "DemoDC", "db,prod",
                VC1, "DemoDC", "pgtest2");

        // when
        List<DiscoveryCall> calls = DiscoveryCall.plan(members, 50);

        // then: the same such name twice still shares its call
        assertThat(calls).containsExactly(
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(0), members.get(5))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(1), members.get(4))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(2))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(3))));
        assertThat(calls).extracting(DiscoveryCall::filter)
                .containsExactly("pgtest1,pgtest2", "db,prod", " ", "web-01 ");
    }

    @Test
    void eachMemberSeesWhatItsOwnNameAsFilterWouldHaveListed() {
        // given: the answer to "pgtest1,web"
        DiscoveryCall call = DiscoveryCall.plan(members(VC1, "DemoDC", "pgtest1", VC1, "DemoDC", "web"), 50).get(0);
        VmaDtos.Vm pgtest1 = VmaVms.vm("id-1", "pgtest1", List.of());
        VmaDtos.Vm pgtest10 = VmaVms.vm("id-10", "pgtest10", List.of());
        VmaDtos.Vm web01 = VmaVms.vm("id-w", "web-01", List.of());
        VmaDtos.Vm oldPgtest1 = VmaVms.vm("id-old", "PGTEST1-old", List.of());
        VmaDtos.DiscoverResponse shared = VmaVms.answer(pgtest1, pgtest10, web01, oldPgtest1);

        // when
        VmaDtos.DiscoverResponse forPgtest1 = call.answerFor(shared, call.members().get(0).target());
        VmaDtos.DiscoverResponse forWeb = call.answerFor(shared, call.members().get(1).target());

        // then
        assertThat(forPgtest1).isEqualTo(new VmaDtos.DiscoverResponse(shared.vcenter(),
                List.of(pgtest1, pgtest10, oldPgtest1)));
        assertThat(forWeb).isEqualTo(new VmaDtos.DiscoverResponse(shared.vcenter(), List.of(web01)));
    }

    @Test
    void aCallOfOneNameGivesItsMembersTheWholeAnswer() {
        // given: "db,prod" finds every VM whose name contains "db" or "prod"
        DiscoveryCall call = DiscoveryCall.plan(members(VC1, "DemoDC", "db,prod"), 50).get(0);
        VmaDtos.DiscoverResponse shared = VmaVms.answer(VmaVms.vm("id-1", "db-01", List.of()),
                VmaVms.vm("id-2", "db,prod", List.of()), VmaVms.vm("id-3", "prod-02", List.of()));

        // when
        VmaDtos.DiscoverResponse forIt = call.answerFor(shared, call.members().get(0).target());

        // then
        assertThat(forIt).isSameAs(shared);
    }

    @Test
    void aCallCutByNameIsOneCallPerNameWithTheMembersAskingForIt() {
        // given: pgtest1 asked twice
        DiscoveryCall call = DiscoveryCall.plan(members(
                VC1, "DemoDC", "pgtest1",
                VC1, "DemoDC", "web-01",
                VC1, "DemoDC", "pgtest1",
                VC1, "DemoDC", "pgtest10"), 50).get(0);

        // when
        List<DiscoveryCall> alone = call.perName();

        // then
        List<DiscoveryCall.Member> members = call.members();
        assertThat(alone).containsExactly(
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(0), members.get(2))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(1))),
                new DiscoveryCall(VC1, "DemoDC", List.of(members.get(3))));
        assertThat(alone).extracting(DiscoveryCall::filter).containsExactly("pgtest1", "web-01", "pgtest10");
    }

    /** Members of one batch, from (login, datacenter, VM name) triples, in that order. */
    private static List<DiscoveryCall.Member> members(Object... triples) {
        List<DiscoveryCall.Member> members = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            VcenterCredentials.Login login = (VcenterCredentials.Login) triples[i];
            String name = (String) triples[i + 2];
            ReplicationRequested request = Requests.request("id-" + name, name, login.vcenterHost(),
                    (String) triples[i + 1]);
            members.add(new DiscoveryCall.Member(members.size(), request, DiscoveryTarget.of(request.getRequest()),
                    login));
        }
        return members;
    }
}
