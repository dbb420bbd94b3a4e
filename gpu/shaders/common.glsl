// Shared by every kernel. Conventions (see gpu/vulkan/kernel_library.h):
// binding i is the i-th tensor argument (a whole sub-allocation); the push
// constants start with off[i], the element offset of tensor i's view in it,
// followed by the kernel's own 4-byte scalars:
//   PUSH(uint n; float alpha;)
//   IN(0, x)  OUT(1, y)   ->   y[p.off[1] + i] = ... x[p.off[0] + i]
#extension GL_EXT_control_flow_attributes : enable

#define PUSH(fields) layout(push_constant) uniform Push { uint off[8]; fields } p;
#define IN(b, name) layout(std430, binding = b) readonly buffer Buffer##b { float name[]; };
#define OUT(b, name) layout(std430, binding = b) buffer Buffer##b { float name[]; };

// 1-D kernels: 256 invocations per group; a grid of at most 65535 groups, so
// loop over what it does not cover.
#define LINEAR_LAYOUT layout(local_size_x = 256) in;
#define FOR_EACH(i, n) for (uint i = gl_GlobalInvocationID.x; i < (n); i += gl_NumWorkGroups.x * 256u)
