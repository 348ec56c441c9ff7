# lvscare's image: `docker build -t lvscare:0.1.0 .`, then `docker run --rm lvscare:0.1.0 --help`.
#
# Three stages on the same base, the Node.js 26 LTS slim image (Debian 13 "trixie"), pinned by
# Node major and Debian release so a rebuild moves only within both:
#   build    npm ci with dev dependencies, tsc → /app/dist
#   deps     npm ci --omit=dev: production node_modules only (with koffi's prebuilt binary)
#   runtime  the base, without npm, plus dist/, those node_modules and package.json
# No Docker engine runs where this is developed: scripts/image/verify-rootfs.sh builds the same
# stages in chroots from this file's own steps and runs the entrypoint (see the README).
#
# The runtime runs as root, on purpose. lvscare's netlink writes need CAP_NET_ADMIN; a non-root
# user only keeps it through ambient capabilities (which Kubernetes cannot set) or file
# capabilities on node (which would give every node process in the image CAP_NET_ADMIN and need
# allowPrivilegeEscalation). Root confined by the runtime is the smaller grant: the manifests drop
# every capability except NET_ADMIN, forbid privilege escalation and mount the root read-only.

FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: koffi's install script would only look for a build; its prebuilt binary
# comes in as an optional dependency (@koromix/koffi-linux-x64), and no other package needs one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY native ./native
COPY src ./src
RUN npm run build

FROM node:26-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:26-trixie-slim AS runtime
# Only what runs: no npm, npx, corepack or yarn (lvscare installs nothing at run time).
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /root/.npm
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
ENTRYPOINT ["node", "/app/dist/src/bin.js"]
CMD ["--help"]
