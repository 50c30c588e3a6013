/* ldrt: the unprivileged loads and stores LDRT/LDRBT/LDRHT/LDRSBT/LDRSHT and
 * STRT/STRBT/STRHT executed from SVC mode with the MMU off (so they behave
 * like ordinary accesses): A32 post-indexed immediate and register forms with
 * writeback, T32 immediate-offset forms (no writeback). Permission behaviour
 * with the MMU on is in mmu. */
#include "m.h"

#ifndef __thumb__
LD(ldrt_post, "ldrt %[d], [%[b]], #4")
LD(ldrt_postm, "ldrt %[d], [%[b]], #-4")
LD(ldrt_0, "ldrt %[d], [%[b]]")
LD(ldrbt_post, "ldrbt %[d], [%[b]], #5")
LD(ldrbt_postm, "ldrbt %[d], [%[b]], #-5")
LD(ldrbt_0, "ldrbt %[d], [%[b]]")
LD(ldrht_post, "ldrht %[d], [%[b]], #2")
LD(ldrht_postm, "ldrht %[d], [%[b]], #-2")
LD(ldrht_0, "ldrht %[d], [%[b]]")
LD(ldrsbt_post, "ldrsbt %[d], [%[b]], #5")
LD(ldrsbt_postm, "ldrsbt %[d], [%[b]], #-5")
LD(ldrsbt_0, "ldrsbt %[d], [%[b]]")
LD(ldrsht_post, "ldrsht %[d], [%[b]], #2")
LD(ldrsht_postm, "ldrsht %[d], [%[b]], #-2")
LD(ldrsht_0, "ldrsht %[d], [%[b]]")
ST(strt_post, "strt %[v], [%[b]], #8")
ST(strt_postm, "strt %[v], [%[b]], #-8")
ST(strbt_post, "strbt %[v], [%[b]], #3")
ST(strbt_postm, "strbt %[v], [%[b]], #-3")
ST(strht_post, "strht %[v], [%[b]], #6")
ST(strht_postm, "strht %[v], [%[b]], #-6")
LD(ldrt_reg, "ldrt %[d], [%[b]], %[i]")
LD(ldrt_negreg, "ldrt %[d], [%[b]], -%[i], lsl #2")
LD(ldrbt_reg, "ldrbt %[d], [%[b]], %[i], asr #1")
LD(ldrht_reg, "ldrht %[d], [%[b]], %[i]")
LD(ldrsbt_reg, "ldrsbt %[d], [%[b]], -%[i]")
ST(strt_reg, "strt %[v], [%[b]], %[i], lsl #3")
ST(strbt_negreg, "strbt %[v], [%[b]], -%[i]")
ST(strht_reg, "strht %[v], [%[b]], %[i]")
#else
LD(ldrt_off, "ldrt %[d], [%[b], #4]")
LD(ldrt_0, "ldrt %[d], [%[b]]")
LD(ldrbt_off, "ldrbt %[d], [%[b], #5]")
LD(ldrbt_0, "ldrbt %[d], [%[b]]")
LD(ldrht_off, "ldrht %[d], [%[b], #2]")
LD(ldrht_0, "ldrht %[d], [%[b]]")
LD(ldrsbt_off, "ldrsbt %[d], [%[b], #5]")
LD(ldrsbt_0, "ldrsbt %[d], [%[b]]")
LD(ldrsht_off, "ldrsht %[d], [%[b], #2]")
LD(ldrsht_0, "ldrsht %[d], [%[b]]")
ST(strt_off, "strt %[v], [%[b], #8]")
ST(strbt_off, "strbt %[v], [%[b], #3]")
ST(strht_off, "strht %[v], [%[b], #6]")
#endif

int main(void)
{
#ifndef __thumb__
    TLD(ldrt_post, 0);
    TLD(ldrt_postm, 0);
    TLD(ldrt_0, 0);
    TLD(ldrbt_post, 0);
    TLD(ldrbt_postm, 0);
    TLD(ldrbt_0, 0);
    TLD(ldrht_post, 0);
    TLD(ldrht_postm, 0);
    TLD(ldrht_0, 0);
    TLD(ldrsbt_post, 0);
    TLD(ldrsbt_postm, 0);
    TLD(ldrsbt_0, 0);
    TLD(ldrsht_post, 0);
    TLD(ldrsht_postm, 0);
    TLD(ldrsht_0, 0);
    TST(strt_post, 0);
    TST(strt_postm, 0);
    TST(strbt_post, 0);
    TST(strbt_postm, 0);
    TST(strht_post, 0);
    TST(strht_postm, 0);
    TLD(ldrt_reg, 12);
    TLD(ldrt_negreg, 3);
    TLD(ldrbt_reg, 0xfffffff0);
    TLD(ldrht_reg, 0x10);
    TLD(ldrsbt_reg, 7);
    TST(strt_reg, 2);
    TST(strbt_negreg, 9);
    TST(strht_reg, 0x20);
#else
    TLD(ldrt_off, 0);
    TLD(ldrt_0, 0);
    TLD(ldrbt_off, 0);
    TLD(ldrbt_0, 0);
    TLD(ldrht_off, 0);
    TLD(ldrht_0, 0);
    TLD(ldrsbt_off, 0);
    TLD(ldrsbt_0, 0);
    TLD(ldrsht_off, 0);
    TLD(ldrsht_0, 0);
    TST(strt_off, 0);
    TST(strbt_off, 0);
    TST(strht_off, 0);
#endif
    return 0;
}
