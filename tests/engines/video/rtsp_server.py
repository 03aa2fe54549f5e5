"""A real RTSP server on loopback for the worker's tests: GStreamer's gst-rtsp-server serving
an MP4 at ``rtsp://127.0.0.1:PORT/cam``, paced at the video's own rate.

Run with the system Python, which has GStreamer's bindings (Debian's ``python3-gi`` and
``gir1.2-gst-rtsp-server-1.0``; ``.ci/run`` installs them)::

    /usr/bin/python3 rtsp_server.py PORT FILE.mp4
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port, path = sys.argv[1], sys.argv[2]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f'( filesrc location="{path}" ! qtdemux ! h264parse config-interval=-1 '
    "! rtph264pay name=pay0 pt=96 )"
)
server.get_mount_points().add_factory("/cam", factory)
server.attach(None)
print("ready", flush=True)
GLib.MainLoop().run()
