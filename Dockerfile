# One image for all five services; the service is chosen by the command, e.g.
#   docker run wvggz-platform meldpunt
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# The pinned dependencies get a layer of their own, rebuilt only when the lock file changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps ./contracts .

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    WVGGZ_HTTP_HOST=0.0.0.0 \
    WVGGZ_DATA_DIR=/var/lib/wvggz
# WeasyPrint (letters and afschriften as PDF) needs Pango, HarfBuzz's subsetter and fonts.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 wvggz \
    && useradd --system --uid 10001 --gid wvggz --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin wvggz \
    && install -d -o wvggz -g wvggz -m 0750 /var/lib/wvggz \
    && install -d -o wvggz -g wvggz -m 0700 /bus
COPY --from=build /opt/venv /opt/venv
USER wvggz:wvggz
EXPOSE 8101 8102 8103 8104 8105
ENTRYPOINT ["python", "-m", "wvggz.serve"]
