"""Our code creates the event stream with the settings the bus must keep."""

from __future__ import annotations

import nats
import pytest
from nats.js.errors import APIError
from wvggz_contracts.subjects import EVENTS_STREAM

from kernel.bus.streams import ACK_WAIT_S, ConsumerSpec, ensure_consumers, ensure_events_stream
from kernel.testing import NatsServer

pytestmark = pytest.mark.integration


async def test_the_event_stream_refuses_delete_and_purge_and_deduplicates(
    nats_server: NatsServer,
) -> None:
    client = await nats.connect(nats_server.url)
    js = client.jetstream()

    config = await ensure_events_stream(js, max_age_s=7200, duplicate_window_s=120)
    again = await ensure_events_stream(js, max_age_s=7200, duplicate_window_s=120)

    assert config.deny_delete and config.deny_purge
    assert (config.max_age, config.duplicate_window) == (7200, 120)
    assert again == config
    first = await js.publish("wvggz.evt.test.GM0402.iets.v1", b"{}", headers={"Nats-Msg-Id": "a"})
    second = await js.publish("wvggz.evt.test.GM0402.iets.v1", b"{}", headers={"Nats-Msg-Id": "a"})
    assert second.duplicate and second.seq == first.seq
    with pytest.raises(APIError):
        await js.purge_stream(EVENTS_STREAM)
    with pytest.raises(APIError):
        await js.delete_msg(EVENTS_STREAM, first.seq)
    assert (await js.stream_info(EVENTS_STREAM)).state.messages == 1
    await client.close()


async def test_a_durable_redelivers_soon_and_never_drops_a_message_itself(
    nats_server: NatsServer,
) -> None:
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    await ensure_events_stream(js, max_age_s=3600, duplicate_window_s=60)
    spec = ConsumerSpec("test-begrensd", "wvggz.evt.test.>")
    earlier = spec.config()
    earlier.ack_wait, earlier.max_deliver = 30.0, 20
    await js.add_consumer(EVENTS_STREAM, earlier)  # as an earlier version created it

    (info,) = await ensure_consumers(js, [spec])

    assert info.config.ack_wait == ACK_WAIT_S == 10.0
    assert info.config.max_deliver == -1, "the consumer parks; the bus keeps offering meanwhile"
    await client.close()
